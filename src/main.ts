/**
 * `npm start`: load config (listing every problem and exiting if it is bad), start the app,
 * say what runs, and stop cleanly on SIGTERM / SIGINT (within 10 s; pending jobs resume on
 * the next start).
 */
import { type AppConfig, ConfigError, loadConfig } from './config/index.js';
import { createLogger } from './logger.js';
import { startApp } from './app.js';

const STOP_DEADLINE_MS = 10_000;

async function main(): Promise<void> {
  let config: AppConfig;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\nSee .env.example for every variable.\n`);
      process.exit(1);
    }
    throw err;
  }
  const logger = createLogger(config);
  process.on('unhandledRejection', (err) => logger.error({ err }, 'unhandled rejection'));

  const app = await startApp(config, logger);
  const bots = app.enabled.filter((n) => n !== 'playground');
  const botList = bots.length === 0 ? 'none (set DISCORD_TOKEN or SLACK_BOT_TOKEN)' : bots.join(', ');
  logger.info(
    {
      url: app.url,
      role: config.role,
      store: config.redis === undefined ? `sqlite in ${config.dataDir}` : 'redis (jobs, schedules, limits shared by every replica)',
      bots: bots.length === 0 ? 'none' : bots.join(', '),
      playground: app.enabled.includes('playground') ? `${app.url}/` : 'off',
      avatarService:
        app.preview !== undefined
          ? `local preview server at ${app.preview.url} ` +
            '(a rough talking face made offline; set AVATAR_API_KEY to use the real service)'
          : config.avatar.apiUrl,
    },
    `talking-avatar-bot listening on ${app.url}; bots enabled: ${botList}`,
  );

  let signalled = false;
  const onSignal = (signal: string): void => {
    if (signalled) return;
    signalled = true;
    logger.info({ signal }, 'stopping: no new work; pending jobs resume on the next start');
    const force = setTimeout(() => {
      logger.error('did not stop within 10 s; exiting');
      process.exit(1);
    }, STOP_DEADLINE_MS);
    force.unref();
    app
      .stop()
      .then(() => {
        logger.info('stopped');
        logger.flush?.();
        process.exit(0);
      })
      .catch((err: unknown) => {
        logger.error({ err }, 'error while stopping');
        process.exit(1);
      });
  };
  process.on('SIGTERM', () => onSignal('SIGTERM'));
  process.on('SIGINT', () => onSignal('SIGINT'));
}

main().catch((err: unknown) => {
  process.stderr.write(`talking-avatar-bot failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
