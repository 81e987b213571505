import os from "node:os";
import si from "systeminformation";

/** What the machine is; read once when the plugin starts. */
export interface HostInfo {
  readonly distro: string;
  readonly release: string;
  readonly kernel: string;
  readonly arch: string;
  readonly cpuModel: string;
  readonly cpuCores: number;
  readonly cpuPhysicalCores: number;
}

/**
 * Reads the host's static facts. systeminformation spawns a few short commands (`cat
 * /etc/os-release`, `lscpu`), which is fine once at start; if it fails, `node:os` fills in.
 */
export async function readHostInfo(): Promise<HostInfo> {
  const [osData, cpu] = await Promise.all([
    si.osInfo().catch(() => undefined),
    si.cpu().catch(() => undefined),
  ]);
  const cores = os.availableParallelism();
  return {
    distro: osData?.distro || os.type(),
    release: osData?.release || os.release(),
    kernel: osData?.kernel || os.release(),
    arch: os.arch(),
    cpuModel: [cpu?.manufacturer, cpu?.brand].filter(Boolean).join(" ") || (os.cpus()[0]?.model ?? "unknown"),
    cpuCores: cpu?.cores || cores,
    cpuPhysicalCores: cpu?.physicalCores || cores,
  };
}
