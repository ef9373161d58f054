/** Typed calls to the drive_archive SQL functions (supabase/migrations/*_archive.sql). */
import type { Store } from "../../store/store.js";
import { redact } from "../../log.js";
import type { DriveFile } from "./upload.js";

export type ArchiveClaim =
  | { claimed: true; status: "uploading"; attempt: number }
  | { claimed: false; status: "uploading" | "done" | "failed"; file_id?: string | null; view_url?: string | null; download_url?: string | null };

export function archiveClaim(store: Store, kind: string, refId: string, leaseSeconds: number): Promise<ArchiveClaim> {
  return store.rpc<ArchiveClaim>("drive_archive_claim", { p_kind: kind, p_ref_id: refId, p_lease_seconds: leaseSeconds });
}

export function archiveDone(store: Store, kind: string, refId: string, file: DriveFile): Promise<{ done: boolean }> {
  return store.rpc("drive_archive_done", { p_kind: kind, p_ref_id: refId, p_file_id: file.fileId, p_view_url: file.viewUrl, p_download_url: file.downloadUrl });
}

export function archiveFailed(store: Store, kind: string, refId: string, attempt: number, error: string): Promise<{ failed: boolean }> {
  return store.rpc("drive_archive_failed", { p_kind: kind, p_ref_id: refId, p_attempt: attempt, p_error: redact(error) });
}

/** Files waiting to be deleted from Drive (their conversation or quote was erased or expired). */
export function archivePurgeClaim(store: Store, limit: number, leaseSeconds: number): Promise<{ kind: string; ref_id: string; file_id: string }[]> {
  return store.rpc("drive_archive_purge_claim", { p_limit: limit, p_lease_seconds: leaseSeconds });
}

/** The file is gone (the ledger row goes), or its deletion failed (retried later with backoff). */
export function archivePurgeFinish(store: Store, kind: string, refId: string, error?: string): Promise<{ done: boolean }> {
  return store.rpc("drive_archive_purge_finish", { p_kind: kind, p_ref_id: refId, p_error: error === undefined ? undefined : redact(error) });
}
