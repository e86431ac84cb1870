/**
 * Bolt's `InstallationStore` over the core's `SealedInstallations` (SQLite, or Redis when REDIS_URL is
 * set): one value per workspace, keyed by the enterprise id for org-wide installs and by the
 * team id otherwise. Each value is the installation as JSON, sealed with AES-256-GCM under a key
 * derived from SLACK_INSTALL_KEY (see secret-box.ts) with the storage key as associated data.
 * Nothing here logs a value, a token or the key.
 */
import type { Installation, InstallationQuery, InstallationStore } from '@slack/bolt';
import type { SealedInstallations } from '../../core/ports.js';
import { createSecretBox, SecretBoxError } from './secret-box.js';

const PREFIX = 'slack:installation:';

/** What identifies one installation: the workspace, or the organisation for org-wide installs. */
export interface InstallationRef {
  teamId?: string | undefined;
  enterpriseId?: string | undefined;
  isEnterpriseInstall?: boolean | undefined;
}

/** A stored installation that no longer opens: the install key changed (or the value was altered). */
export class InstallKeyError extends Error {
  constructor(readonly ref: string) {
    super(
      `The Slack installation for ${ref} cannot be decrypted: SLACK_INSTALL_KEY has changed since it was stored ` +
        '(or the stored value was altered). Install the app to that workspace again.',
    );
    this.name = 'InstallKeyError';
  }
}

/** No installation is stored for that workspace / organisation. */
export class NotInstalledError extends Error {
  constructor(readonly ref: string) {
    super(`The Slack app is not installed for ${ref}.`);
    this.name = 'NotInstalledError';
  }
}

export interface SlackInstallationStore extends InstallationStore {
  /** Like fetchInstallation, but null when nothing is stored (still throws InstallKeyError). */
  find(ref: InstallationRef): Promise<Installation | null>;
  deleteInstallation(query: InstallationQuery<boolean>): Promise<void>;
  /** Deletes by ref; true when something was stored. */
  remove(ref: InstallationRef): Promise<boolean>;
}

/** The storage key for a ref (exported for tests reading the raw stored value). */
export function installationKey(ref: InstallationRef): string {
  if (ref.isEnterpriseInstall === true && ref.enterpriseId !== undefined && ref.enterpriseId !== '') {
    return `${PREFIX}enterprise:${ref.enterpriseId}`;
  }
  if (ref.teamId !== undefined && ref.teamId !== '') return `${PREFIX}team:${ref.teamId}`;
  throw new Error('A Slack installation needs a team id (or an enterprise id for org-wide installs).');
}

/** The ref of an installation Bolt hands us after the OAuth exchange. */
function refOf(installation: Installation): InstallationRef {
  return {
    teamId: installation.team?.id,
    enterpriseId: installation.enterprise?.id,
    isEnterpriseInstall: installation.isEnterpriseInstall === true,
  };
}

/** "team T123" / "org-wide install E123", for messages (ids only, never secrets). */
export function describeRef(ref: InstallationRef): string {
  return ref.isEnterpriseInstall === true && ref.enterpriseId !== undefined
    ? `org-wide install ${ref.enterpriseId}`
    : `team ${ref.teamId ?? '(none)'}`;
}

export interface InstallationStoreOptions {
  /** SLACK_INSTALL_KEY: the secret the encryption key is derived from. */
  installKey: string;
}

export function createInstallationStore(secrets: SealedInstallations, opts: InstallationStoreOptions): SlackInstallationStore {
  const box = createSecretBox(opts.installKey);

  async function find(ref: InstallationRef): Promise<Installation | null> {
    const key = installationKey(ref);
    const sealed = await secrets.get(key);
    if (sealed === null) return null;
    let plain: string;
    try {
      plain = box.open(sealed, key);
    } catch (err) {
      if (err instanceof SecretBoxError) throw new InstallKeyError(describeRef(ref));
      throw err;
    }
    try {
      return JSON.parse(plain) as Installation;
    } catch {
      // Authenticated yet unreadable: only a bug could write that; installing again fixes it too.
      throw new InstallKeyError(describeRef(ref));
    }
  }

  async function remove(ref: InstallationRef): Promise<boolean> {
    return secrets.delete(installationKey(ref));
  }

  return {
    async storeInstallation(installation) {
      const key = installationKey(refOf(installation));
      await secrets.put(key, box.seal(JSON.stringify(installation), key));
    },
    async fetchInstallation(query) {
      const found = await find(query);
      if (found === null) throw new NotInstalledError(describeRef(query));
      return found;
    },
    async deleteInstallation(query) {
      await remove(query);
    },
    find,
    remove,
  };
}
