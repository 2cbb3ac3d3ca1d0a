/**
 * The `weft` command line: commands, flags and help (commander), and the one place where every
 * outcome becomes an exit code.
 *
 *   argv ─▶ commander (usage errors: exit 2) ─▶ command(ctx, args, options) ─▶ exit code
 *                                                  └─ throws CliError ─▶ `error: …` + hint ─▶ its code
 *
 * `run` never calls process.exit and reads nothing from `process`: main.ts passes the real IO,
 * unit tests pass fakes.
 */
import { Command, CommanderError, Option } from 'commander';
import { applyCommand } from './commands/apply.ts';
import { deleteCommand } from './commands/delete.ts';
import { diffCommand } from './commands/diff.ts';
import { GET_OUTPUTS, getCommand } from './commands/get.ts';
import { HISTORY_OUTPUTS, historyCommand, revertCommand } from './commands/history.ts';
import { loginCommand, logoutCommand, versionCommand, whoamiCommand } from './commands/login.ts';
import { PROXIES_OUTPUTS, proxiesCommand } from './commands/proxies.ts';
import { createContext, type Context } from './context.ts';
import { CliError, ExitCode } from './errors.ts';
import type { CliIO } from './io.ts';
import { CLI_VERSION } from './version.ts';

/** Exit code for a bug in the CLI itself (sysexits EX_SOFTWARE), distinct from every documented outcome. */
export const EXIT_INTERNAL = 70;

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

const fileOption = (what: string) => new Option('-f, --filename <path>', `${what}: a file, a directory (recursively: *.yaml, *.yml, *.json) or - for standard input; repeatable`).argParser(collect);
const namespaceOption = () => new Option('-n, --namespace <namespace>', 'the namespace (default: WEFT_NAMESPACE, else the one saved by `weft login -n`)');
const outputOption = (choices: readonly string[], fallback: string) => new Option('-o, --output <format>', 'output format').choices(choices).default(fallback);

const KINDS_HELP = `
Kinds (any of the names): service (services, svc) · httproute (httproutes, route, routes) ·
trafficpolicy (trafficpolicies, tp) · authorizationpolicy (authorizationpolicies, authz) ·
meshconfig (meshconfigs, mc; cluster-scoped) · rollout (rollouts, ro)`;

export function buildProgram(ctx: Context, done: (code: number) => void): Command {
  const program = new Command('weft')
    .description('Manage a Weft service mesh from the command line: apply resource files, inspect, diff, revert, watch the proxy fleet.')
    .version(CLI_VERSION, '--version', 'print the CLI version')
    .configureOutput({
      writeOut: (s) => ctx.io.stdout.write(s),
      writeErr: (s) => ctx.io.stderr.write(s),
      outputError: (s, write) => write(s),
    })
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)')
    .helpCommand('help [command]', 'help for a command')
    .addHelpText(
      'after',
      `
Log in once with an API token (console: Teams → API tokens), or set WEFT_URL and WEFT_TOKEN:
  weft login https://weft.example.com --token-stdin -n shop < token.txt

Exit codes: 0 ok · 1 invalid documents, refused writes, differences (diff), some documents failed
2 usage · 3 not logged in / 401 / 403 · 4 not found · 5 conflict · 6 unreachable / 5xx
Documentation: docs/cli.md`,
    );

  const act =
    <A extends unknown[]>(fn: (...args: A) => Promise<number>) =>
    async (...args: A): Promise<void> => {
      done(await fn(...args));
    };

  program
    .command('login')
    .description('check an API token and save it with the control-plane URL (file mode 0600)')
    .argument('<url>', 'the control plane, e.g. https://weft.example.com')
    .option('--token-stdin', 'read the token from standard input (recommended)')
    .option('--token <token>', 'the token itself (visible in shell history and the process list)')
    .addOption(new Option('-n, --namespace <namespace>', 'default namespace for later commands'))
    .addHelpText('after', '\nExample:\n  weft login http://127.0.0.1:7070 --token-stdin -n shop < token.txt\n\nThe file: $WEFT_CONFIG, else $XDG_CONFIG_HOME/weft/config.json, else ~/.config/weft/config.json.')
    .action(act((url: string, opts: { token?: string; tokenStdin?: boolean; namespace?: string }) => loginCommand(ctx, url, opts)));

  program
    .command('logout')
    .description('remove the saved login (the token stays valid until it expires or is revoked)')
    .action(act(() => logoutCommand(ctx)));

  program
    .command('whoami')
    .description('who the saved token (or WEFT_TOKEN) is, and its teams and roles')
    .addOption(outputOption(['text', 'json'], 'text'))
    .action(act((opts: { output?: 'text' | 'json' }) => whoamiCommand(ctx, opts)));

  program
    .command('apply')
    .description('create or update the resources in files, in dependency order (Services first)')
    .addOption(fileOption('what to apply').makeOptionMandatory())
    .addOption(namespaceOption())
    .option('--dry-run', 'validate on the server and show what would change, including the proxies affected; write nothing')
    .option('-m, --message <text>', 'why: recorded with each revision')
    .addHelpText(
      'after',
      `
Examples:
  weft apply -f mesh/ -m "route 5% to v2"
  weft apply -f routes.yaml --dry-run
  kustomize build overlays/prod | weft apply -f -

Output: one line per resource, e.g. httproute.weft.dev/shop/checkout created|updated|unchanged.`,
    )
    .action(act((opts: { filename: string[]; namespace?: string; dryRun?: boolean; message?: string }) => applyCommand(ctx, { ...opts, file: opts.filename })));

  program
    .command('get')
    .description('show one resource or list a kind')
    .argument('<kind>', 'the kind, e.g. httproute, routes, svc')
    .argument('[name]', 'one resource; without it, list')
    .addOption(namespaceOption())
    .option('-A, --all-namespaces', 'list across every namespace you can see')
    .option('-l, --selector <selector>', 'label selector: key=value, key!=value, comma-separated (all must match)')
    .addOption(outputOption(GET_OUTPUTS, 'table'))
    .addHelpText('after', `\nExamples:\n  weft get routes -n shop\n  weft get svc -A -l tier=web\n  weft get httproute checkout -n shop -o yaml > checkout.yaml\n${KINDS_HELP}`)
    .action(
      act((kind: string, name: string | undefined, opts: { namespace?: string; allNamespaces?: boolean; selector?: string; output?: (typeof GET_OUTPUTS)[number] }) =>
        getCommand(ctx, kind, name, opts),
      ),
    );

  program
    .command('delete')
    .description('delete a resource, or the resources in files (soft: the history stays)')
    .argument('[kind]', 'the kind')
    .argument('[name]', 'the resource')
    .addOption(fileOption('what to delete'))
    .addOption(namespaceOption())
    .option('--dry-run', 'say what would be deleted; delete nothing')
    .option('-m, --message <text>', 'why: recorded with the revision')
    .option('--ignore-not-found', 'a resource that does not exist is not an error')
    .addHelpText('after', `\nExamples:\n  weft delete route checkout -n shop\n  weft delete -f mesh/ --dry-run\n${KINDS_HELP}`)
    .action(
      act((kind: string | undefined, name: string | undefined, opts: { filename?: string[]; namespace?: string; dryRun?: boolean; message?: string; ignoreNotFound?: boolean }) =>
        deleteCommand(ctx, kind, name, { ...opts, ...(opts.filename ? { file: opts.filename } : {}) }),
      ),
    );

  program
    .command('diff')
    .description('compare local files with the live resources (-f), or two revisions of a resource (--from/--to)')
    .argument('[kind]', 'with --from: the kind')
    .argument('[name]', 'with --from: the resource')
    .addOption(fileOption('the local documents'))
    .addOption(namespaceOption())
    .option('--from <revision>', 'compare this revision…')
    .option('--to <revision>', '…with this one (default: the newest)')
    .addHelpText(
      'after',
      `
Exit code: 0 no differences, 1 differences, 2 or more an error (as kubectl diff).

Examples:
  weft diff -f mesh/
  weft diff route checkout -n shop --from 3 --to 5`,
    )
    .action(
      act((kind: string | undefined, name: string | undefined, opts: { filename?: string[]; namespace?: string; from?: string; to?: string }) =>
        diffCommand(ctx, kind, name, { ...opts, ...(opts.filename ? { file: opts.filename } : {}) }),
      ),
    );

  program
    .command('history')
    .description("a resource's revisions, newest first")
    .argument('<kind>', 'the kind')
    .argument('<name>', 'the resource')
    .addOption(namespaceOption())
    .addOption(outputOption(HISTORY_OUTPUTS, 'table'))
    .addHelpText('after', '\nCompare two revisions with `weft diff KIND NAME --from A --to B`; go back with `weft revert KIND NAME --to A`.')
    .action(act((kind: string, name: string, opts: { namespace?: string; output?: (typeof HISTORY_OUTPUTS)[number] }) => historyCommand(ctx, kind, name, opts)));

  program
    .command('revert')
    .description('write a new revision with the content of an earlier one (also restores a deleted resource)')
    .argument('<kind>', 'the kind')
    .argument('<name>', 'the resource')
    .requiredOption('--to <revision>', 'the revision whose content to restore (see `weft history`)')
    .addOption(namespaceOption())
    .option('-m, --message <text>', 'why (default: "revert to revision N")')
    .option('--dry-run', 'show what would change, including the proxies affected; write nothing')
    .action(act((kind: string, name: string, opts: { to: string; namespace?: string; message?: string; dryRun?: boolean }) => revertCommand(ctx, kind, name, opts)));

  program
    .command('proxies')
    .description('the proxy fleet: what each proxy was sent and acknowledged')
    .option('-n, --namespace <namespace>', 'only this namespace (default: every namespace you can see)')
    .option('--service <name>', 'only the proxies of this service')
    .option('--status <status>', 'only SYNCED, PENDING, STALE, NACKED or DISCONNECTED')
    .addOption(outputOption(PROXIES_OUTPUTS, 'table'))
    .addHelpText('after', '\nExamples:\n  weft proxies -n shop\n  weft proxies --status nacked')
    .action(act((opts: { namespace?: string; service?: string; status?: string; output?: (typeof PROXIES_OUTPUTS)[number] }) => proxiesCommand(ctx, opts)));

  program
    .command('version')
    .description("the CLI's version and, when logged in, the control plane's")
    .option('--client', 'only the CLI')
    .action(act((opts: { client?: boolean }) => versionCommand(ctx, opts)));

  return program;
}

/** Runs one command line; resolves with the exit code. */
export async function run(argv: readonly string[], io: CliIO): Promise<number> {
  const ctx = createContext(io);
  let code: number = ExitCode.OK;
  const program = buildProgram(ctx, (c) => (code = c));
  if (argv.length === 0) {
    program.outputHelp({ error: true });
    return ExitCode.USAGE;
  }
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return code;
  } catch (err) {
    return exitCodeOf(ctx, err);
  }
}

function exitCodeOf(ctx: Context, err: unknown): number {
  // Commander has printed its message (or the help / version) already.
  if (err instanceof CommanderError) return err.exitCode === 0 ? ExitCode.OK : ExitCode.USAGE;
  if (err instanceof CliError) {
    ctx.error(err.message, err.hint);
    return err.exitCode;
  }
  ctx.error(`unexpected: ${err instanceof Error ? (ctx.io.env.WEFT_DEBUG ? err.stack : err.message) : String(err)}`, 'This is a bug in weft; set WEFT_DEBUG=1 for details and report it.');
  return EXIT_INTERNAL;
}
