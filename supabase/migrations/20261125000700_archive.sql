-- Documents archived to Google Drive (lib/integrations/drive/archive.ts): transcripts handed to a
-- human and quotes. One row per (kind, ref_id), claimed before the upload so that repeated or
-- parallel calls upload once:
--   uploading (lease_until) -> done        the file is in Drive (terminal)
--   uploading               -> failed      the upload failed; the next call may claim it again
--   uploading, lease expired -> uploading  a crashed uploader's claim is taken over
-- Functions return jsonb; time comes from public.app_now().

create table if not exists public.drive_archive (
  kind          text not null check (kind in ('transcript', 'quote')),
  ref_id        text not null check (length(ref_id) between 1 and 200),
  status        text not null check (status in ('uploading', 'done', 'failed')),
  attempts      integer not null default 1,
  lease_until   timestamptz,
  file_id       text,
  view_url      text,
  download_url  text,
  last_error    text,
  created_at    timestamptz not null default now(),
  updated_at    timestamptz not null default now(),
  primary key (kind, ref_id)
);

-- -> {claimed, status, attempt?, file_id?, view_url?, download_url?}
create or replace function public.drive_archive_claim(p_kind text, p_ref_id text, p_lease_seconds integer default 60)
returns jsonb language plpgsql volatile as $$
declare
  r public.drive_archive;
  t timestamptz := public.app_now();
begin
  insert into public.drive_archive (kind, ref_id, status, attempts, lease_until, created_at, updated_at)
  values (p_kind, p_ref_id, 'uploading', 1, t + make_interval(secs => p_lease_seconds), t, t)
  on conflict (kind, ref_id) do nothing
  returning * into r;
  if found then
    return jsonb_build_object('claimed', true, 'status', r.status, 'attempt', r.attempts);
  end if;

  update public.drive_archive set
    status = 'uploading', attempts = attempts + 1, last_error = null,
    lease_until = t + make_interval(secs => p_lease_seconds), updated_at = t
  where kind = p_kind and ref_id = p_ref_id
    and (status = 'failed' or (status = 'uploading' and lease_until <= t))
  returning * into r;
  if found then
    return jsonb_build_object('claimed', true, 'status', r.status, 'attempt', r.attempts);
  end if;

  select * into r from public.drive_archive where kind = p_kind and ref_id = p_ref_id;
  return jsonb_build_object('claimed', false, 'status', r.status, 'file_id', r.file_id,
    'view_url', r.view_url, 'download_url', r.download_url);
end
$$;

-- The upload succeeded. Any attempt's success counts; a row already done stays as it is.
-- -> {done: true when this call recorded it}
create or replace function public.drive_archive_done(p_kind text, p_ref_id text, p_file_id text, p_view_url text, p_download_url text)
returns jsonb language plpgsql volatile as $$
declare n integer;
begin
  update public.drive_archive set
    status = 'done', file_id = p_file_id, view_url = p_view_url, download_url = p_download_url,
    lease_until = null, last_error = null, updated_at = public.app_now()
  where kind = p_kind and ref_id = p_ref_id and status in ('uploading', 'failed');
  get diagnostics n = row_count;
  return jsonb_build_object('done', n > 0);
end
$$;

-- The upload of attempt p_attempt failed. Ignored when a newer attempt holds the claim or the
-- document is already done. -> {failed: true when recorded}
create or replace function public.drive_archive_failed(p_kind text, p_ref_id text, p_attempt integer, p_error text)
returns jsonb language plpgsql volatile as $$
declare n integer;
begin
  update public.drive_archive set
    status = 'failed', lease_until = null, last_error = left(p_error, 500), updated_at = public.app_now()
  where kind = p_kind and ref_id = p_ref_id and status = 'uploading' and attempts = p_attempt;
  get diagnostics n = row_count;
  return jsonb_build_object('failed', n > 0);
end
$$;

select public.comptoir_lock_down();
