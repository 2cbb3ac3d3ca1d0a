/**
 * A browser's User-Agent string, shortened to what a person recognises: `Chrome 156 on Linux`.
 * Unknown agents (curl, scripts) are shown as they are, cut to a readable length.
 */

const BROWSERS: [name: string, pattern: RegExp][] = [
  // Order matters: Edge and Opera also say Chrome; Chrome also says Safari.
  ['Edge', /Edg(?:e|A|iOS)?\/(\d+)/],
  ['Opera', /OPR\/(\d+)/],
  ['Firefox', /(?:Firefox|FxiOS)\/(\d+)/],
  ['Chrome', /(?:Chrome|CriOS)\/(\d+)/],
  ['Safari', /Version\/(\d+)[\d.]* (?:Mobile\/\S+ )?Safari\//],
];

const SYSTEMS: [name: string, pattern: RegExp][] = [
  ['Android', /Android/],
  ['iOS', /iPhone|iPad|iPod/],
  ['Windows', /Windows/],
  ['macOS', /Mac OS X|Macintosh/],
  ['ChromeOS', /CrOS/],
  ['Linux', /Linux/],
];

const MAX = 48;

export function describeUserAgent(userAgent: string): string {
  const ua = userAgent.trim();
  if (!ua) return 'Unknown device';
  const browser = BROWSERS.map(([name, re]) => [name, re.exec(ua)?.[1]] as const).find(([, version]) => version);
  const system = SYSTEMS.find(([, re]) => re.test(ua))?.[0];
  if (browser) return `${browser[0]} ${browser[1]}${system ? ` on ${system}` : ''}`;
  return ua.length > MAX ? `${ua.slice(0, MAX - 1)}…` : ua;
}
