import type { Connection } from 'mongoose';
import type { IndexDefinition } from './indexes';
import { seal, unseal, type Sealed } from './sealing';

/**
 * A platform's Moodle web-service connection: the site URL and the token an admin entered once, encrypted
 * at rest. Without one the platform runs in the weaker launch-evidence mode.
 */
export interface WsConnection {
  platformId: string;
  siteUrl: string;
  token: string;
  checkedAt: Date;
  siteName: string;
}

const COLLECTION = 'ws_connections';
const PURPOSE = 'moodle-ws-token';

export class WsConnectionRepository {
  constructor(
    private readonly connection: Connection,
    private readonly secret: string,
  ) {}

  private get col() {
    return this.connection.collection(COLLECTION);
  }

  async save(c: WsConnection): Promise<void> {
    const { token, ...rest } = c;
    await this.col.replaceOne({ platformId: c.platformId }, { ...rest, token: seal(token, this.secret, PURPOSE) }, { upsert: true });
  }

  async find(platformId: string): Promise<WsConnection | null> {
    const d = await this.col.findOne({ platformId });
    if (!d) return null;
    return {
      platformId: d.platformId,
      siteUrl: d.siteUrl,
      token: unseal(d.token as Sealed, this.secret, PURPOSE),
      checkedAt: d.checkedAt,
      siteName: d.siteName,
    };
  }

  async remove(platformId: string): Promise<void> {
    await this.col.deleteOne({ platformId });
  }

  static indexes(): IndexDefinition[] {
    return [{ collection: COLLECTION, key: { platformId: 1 }, unique: true }];
  }
}
