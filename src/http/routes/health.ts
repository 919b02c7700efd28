import { Router } from 'express';
import type { Database } from '../../store/connection';

export function healthRoutes(db: Database) {
  const router = Router();
  router.get('/healthz', async (_req, res) => {
    try {
      await db.ping();
      res.json({ status: 'ok', database: 'ok' });
    } catch {
      res.status(503).json({ status: 'unavailable', database: 'unreachable' });
    }
  });
  return router;
}
