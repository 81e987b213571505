// Writes docs/errors.md from plugins/api's ERROR_CODES (a test checks they stay in step).
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { ERROR_CODES } from "../../plugins/api/src/error-codes.ts";

const rows = Object.entries(ERROR_CODES).map(
  ([code, { meaning, action }]) => `| \`${code}\` | ${meaning} | ${action} |`,
);
const text = `# Error codes

Every error MTX Fleet reports carries one stable code (\`{code, message, details}\` in HTTP and
gRPC answers, \`err.code\` in logs). Codes are never renamed or reused. This table is generated
from \`plugins/api/src/error-codes.ts\` by \`node deploy/toolchain/gen-errors-doc.ts\`.

| code | meaning | what to do |
| --- | --- | --- |
${rows.join("\n")}
`;
writeFileSync(join(import.meta.dirname, "..", "..", "docs", "errors.md"), text);
