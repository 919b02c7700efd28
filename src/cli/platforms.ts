import { parseArgs } from 'node:util';
import type { PlatformRegistry } from '../lti/platform-registry';

export const PLATFORM_USAGE = `Usage:
  platform add --issuer URL --client-id ID --auth-url URL --token-url URL --jwks-url URL --deployment ID [--deployment ID…] [--name NAME]
  platform list [--json]
  platform remove --issuer URL --client-id ID

Moodle shows the values under Site administration > Plugins > Activity modules > External tool > Manage tools,
"View configuration details" of the tool: Platform ID (issuer), Client ID, Deployment ID, Public keyset URL,
Access token URL and Authentication request URL.`;

export interface CliIo {
  out(line: string): void;
  err(line: string): void;
}

/** `platform …` commands: manual registration, listing and removal of Moodle sites. Returns an exit code. */
export async function platformCommand(args: string[], registry: PlatformRegistry, io: CliIo): Promise<number> {
  try {
    return await runPlatformCommand(args, registry, io);
  } catch (err) {
    // bad options (unknown, or a value that looks like an option, e.g. a client id starting with "-")
    if (!String((err as { code?: unknown }).code).startsWith('ERR_PARSE_ARGS')) throw err;
    io.err(`${(err as Error).message}\n\n${PLATFORM_USAGE}`);
    return 2;
  }
}

async function runPlatformCommand(args: string[], registry: PlatformRegistry, io: CliIo): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'list') {
    const { values } = parseArgs({ args: rest, options: { json: { type: 'boolean' } } });
    const platforms = await registry.list();
    if (values.json) io.out(JSON.stringify(platforms, null, 2));
    else if (!platforms.length) io.out('No platforms are registered.');
    else
      for (const p of platforms)
        io.out(`${p.issuer}  client ${p.clientId}  deployments ${p.deploymentIds.join(',')}  (${p.registeredVia}, ${p.name})  institution ${p.id}`);
    return 0;
  }
  if (sub === 'add') {
    const { values } = parseArgs({
      args: rest,
      options: {
        issuer: { type: 'string' },
        'client-id': { type: 'string' },
        'auth-url': { type: 'string' },
        'token-url': { type: 'string' },
        'jwks-url': { type: 'string' },
        deployment: { type: 'string', multiple: true },
        name: { type: 'string' },
      },
    });
    const missing = ['issuer', 'client-id', 'auth-url', 'token-url', 'jwks-url', 'deployment'].filter((k) => !values[k as keyof typeof values]);
    if (missing.length) {
      io.err(`Missing: ${missing.map((m) => `--${m}`).join(', ')}\n\n${PLATFORM_USAGE}`);
      return 2;
    }
    const platform = await registry.register({
      issuer: values.issuer!,
      clientId: values['client-id']!,
      name: values.name ?? values.issuer!,
      deploymentIds: values.deployment!,
      authEndpoint: values['auth-url']!,
      tokenEndpoint: values['token-url']!,
      jwksUrl: values['jwks-url']!,
      registeredVia: 'manual',
    });
    io.out(`Registered ${platform.issuer} (client ${platform.clientId}, deployments ${platform.deploymentIds.join(',')}).`);
    return 0;
  }
  if (sub === 'remove') {
    const { values } = parseArgs({ args: rest, options: { issuer: { type: 'string' }, 'client-id': { type: 'string' } } });
    if (!values.issuer || !values['client-id']) {
      io.err(`Missing --issuer or --client-id\n\n${PLATFORM_USAGE}`);
      return 2;
    }
    const removed = await registry.remove(values.issuer, values['client-id']);
    io.out(removed ? `Removed ${values.issuer} (client ${values['client-id']}).` : `No platform ${values.issuer} with client ${values['client-id']}.`);
    return removed ? 0 : 1;
  }
  io.err(PLATFORM_USAGE);
  return 2;
}
