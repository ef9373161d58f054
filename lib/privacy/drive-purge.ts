/**
 * Deletes from Drive the archived transcripts and quotes of erased or expired conversations:
 * the SQL side marked their ledger rows 'purge'; each file is deleted (a missing file counts
 * as deleted), then its row goes. A failure leaves the row for the next run (backoff in SQL);
 * an open breaker or a missing Drive configuration stops the batch without counting attempts.
 */
import { BreakerOpenError } from "../http/index.js";
import { deleteFromDrive } from "../integrations/drive/index.js";
import { archivePurgeClaim, archivePurgeFinish } from "../integrations/drive/archive-store.js";
import type { Services } from "../services.js";

const BATCH = 50;

export async function purgeDriveFiles(services: Services, limit = BATCH): Promise<{ drive_files_deleted: number; drive_files_failed: number }> {
  const out = { drive_files_deleted: 0, drive_files_failed: 0 };
  const drive = services.config.drive;
  // Without write access nothing can be deleted; the rows wait until Drive is configured.
  if (!drive.configured || drive.auth.method === "api_key") return out;
  const due = await archivePurgeClaim(services.store, limit, Math.ceil(drive.timeoutMs / 1000) + 30);
  for (const row of due) {
    try {
      await deleteFromDrive(services, row.file_id);
      await archivePurgeFinish(services.store, row.kind, row.ref_id);
      out.drive_files_deleted++;
    } catch (err) {
      out.drive_files_failed++;
      const message = `${(err as Error)?.name ?? "Error"}: ${(err as Error)?.message ?? String(err)}`;
      await archivePurgeFinish(services.store, row.kind, row.ref_id, message);
      services.log.warn("drive file not deleted", { kind: row.kind, error: (err as Error)?.message });
      if (err instanceof BreakerOpenError) break;
    }
  }
  return out;
}
