import { readdir } from "node:fs/promises";
import net from "node:net";
import { describe, expect, it } from "vitest";
import { interfaceRates, parseNetDev, readNetDev } from "./net-dev.ts";

const NET_DEV = `Inter-|   Receive                                                |  Transmit
 face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
    lo:  611646    1932    0    0    0     0          0         0   611646    1932    0    0    0     0       0          0
  eth0:4294967296000 14918    2    3    0     0          0         0  1023003    9205    4    5    0     0       0          0
`;

async function sendOverLoopback(bytes: number): Promise<void> {
  const received = new Promise<number>((resolve, reject) => {
    let total = 0;
    const server = net.createServer((socket) => {
      socket.on("data", (chunk) => {
        total += chunk.length;
      });
      socket.on("end", () => {
        server.close();
        resolve(total);
      });
    });
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      const client = net.connect(port, "127.0.0.1", () => client.end(Buffer.alloc(bytes)));
      client.on("error", reject);
    });
  });
  expect(await received).toBe(bytes);
}

describe("parseNetDev", () => {
  it("reads bytes, packets, errors and drops, also when a number is glued to the colon", () => {
    expect(parseNetDev(NET_DEV)).toEqual([
      {
        interface: "lo",
        receiveBytes: 611646,
        receivePackets: 1932,
        receiveErrors: 0,
        receiveDrops: 0,
        transmitBytes: 611646,
        transmitPackets: 1932,
        transmitErrors: 0,
        transmitDrops: 0,
      },
      {
        interface: "eth0",
        receiveBytes: 4294967296000,
        receivePackets: 14918,
        receiveErrors: 2,
        receiveDrops: 3,
        transmitBytes: 1023003,
        transmitPackets: 9205,
        transmitErrors: 4,
        transmitDrops: 5,
      },
    ]);
  });
});

describe("readNetDev on this machine", () => {
  it("lists exactly the interfaces of /sys/class/net", async () => {
    const names = (await readNetDev()).map((i) => i.interface).sort();
    expect(names).toEqual((await readdir("/sys/class/net")).sort());
  });

  it("counts traffic sent over loopback", async () => {
    const lo = async () => (await readNetDev()).find((i) => i.interface === "lo")!;
    const before = await lo();
    await sendOverLoopback(1_000_000);
    const after = await lo();
    expect(after.receiveBytes - before.receiveBytes).toBeGreaterThanOrEqual(1_000_000);
    expect(after.transmitBytes - before.transmitBytes).toBeGreaterThanOrEqual(1_000_000);
  });
});

describe("interfaceRates", () => {
  const base = parseNetDev(NET_DEV)[0]!;

  it("divides the byte growth by the seconds between readings", () => {
    const next = { ...base, receiveBytes: base.receiveBytes + 1000, transmitBytes: base.transmitBytes + 500 };
    expect(interfaceRates(base, next, 2)).toEqual({
      receiveBytesPerSecond: 500,
      transmitBytesPerSecond: 250,
    });
  });

  it("is null when counters went backwards (interface re-created) or no time passed", () => {
    expect(interfaceRates(base, { ...base, receiveBytes: 10 }, 2)).toBeNull();
    expect(interfaceRates(base, base, 0)).toBeNull();
  });
});
