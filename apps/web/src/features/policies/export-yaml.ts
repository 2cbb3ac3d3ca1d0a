/** Downloads of policies as YAML: one document per resource, `---` between them, ready for `weft apply -f` or Import. */
import type { StoredResource } from '@weft/contracts/resources';
import { portableYaml } from './policy-text';

export function exportText(resources: readonly StoredResource[]): string {
  return resources.map(portableYaml).join('---\n');
}

/** Saves `text` as a file through the browser (an object URL on a temporary link). */
export function downloadText(filename: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/yaml' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1_000);
}
