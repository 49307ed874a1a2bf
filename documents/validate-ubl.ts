/**
 * Checks UBL documents against the official Peppol BIS Billing 3.0 rules (UBL 2.1 schema, CEN EN 16931 and
 * Peppol schematrons) through the Java validator that scripts/tools/peppol-validator.ts builds. Test and
 * operations tooling: it spawns a JVM, so it has no place in workflow code.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { resolvePeppolValidator } from '../scripts/tools/peppol-validator.js';

export interface UblFinding {
  /** Rule id, e.g. BR-CO-15 or PEPPOL-EN16931-R003; "XSD" for schema errors, "XML" for unparsable input. */
  readonly id: string;
  /** "fatal" rejects the document; "warning" does not. */
  readonly flag: string;
  readonly text: string;
  /** XPath of the offending node (schematron) or line and column (schema). */
  readonly location: string;
}

export interface UblValidation {
  /** No fatal finding. */
  readonly valid: boolean;
  readonly errors: readonly UblFinding[];
}

const run = promisify(execFile);

/**
 * Validates several documents in one validator run: starting the JVM and compiling the rule sets takes
 * seconds, each further document milliseconds. Results are in input order.
 */
export async function validateUblBatch(xmls: readonly string[]): Promise<UblValidation[]> {
  if (xmls.length === 0) return [];
  const validator = await resolvePeppolValidator();
  const dir = await mkdtemp(join(tmpdir(), 'o2c-ubl-'));
  try {
    const files = await Promise.all(
      xmls.map(async (xml, i) => {
        const file = join(dir, `${i}.xml`);
        await writeFile(file, xml);
        return file;
      }),
    );
    const { stdout } = await run(validator, files, { maxBuffer: 64 * 1024 * 1024 });
    const results = stdout
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => JSON.parse(l) as UblValidation);
    if (results.length !== xmls.length) {
      throw new Error(`peppol-validator returned ${results.length} results for ${xmls.length} documents`);
    }
    return results;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export async function validateUbl(xml: string): Promise<UblValidation> {
  const [result] = await validateUblBatch([xml]);
  if (result === undefined) throw new Error('peppol-validator returned no result');
  return result;
}
