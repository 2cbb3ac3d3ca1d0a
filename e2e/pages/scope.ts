/** The pickers above the traffic pages (Topology, Services): namespace, window, search by service name. */
import type { Locator } from '@playwright/test';

export interface ScopeControls {
  namespacePicker: Locator;
  windowPicker: Locator;
  search: Locator;
}

export function scopeControls(main: Locator): ScopeControls {
  return { namespacePicker: main.getByLabel('Namespace'), windowPicker: main.getByLabel('Window'), search: main.getByLabel('Search services') };
}
