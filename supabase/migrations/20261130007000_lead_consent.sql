-- Consent and the Drive purge ledger (issue 18).
--   Leads: whether the person agreed to hear from the shop, with the exact wording they were
--          shown, the time, the channel and the language. app_lead holds the current state (a
--          lead without consent is kept only for the request it made); app_lead_consent keeps
--          every explicit choice (the form's unticked box, the assistant's yes/no question).
--   drive_archive: a new status 'purge' = the document's conversation was erased or expired
--          and its Drive file must be deleted too; the retention job deletes the file, then
--          the ledger row.
-- Time comes from public.app_now(); every function takes p_* parameters.

alter table public.app_lead
  add column if not exists consent_text     text,
  add column if not exists consent_channel  text,
  add column if not exists consent_language text;

create table if not exists public.app_lead_consent (
  id         bigint generated always as identity primary key,
  lead_id    uuid not null references public.app_lead (id) on delete cascade,
  consent    boolean not null,
  -- The sentence the person answered, exactly as shown (checkbox label, the assistant's question).
  wording    text not null check (length(wording) between 1 and 1000),
  channel    text not null check (channel in ('web', 'whatsapp', 'messenger', 'api')),
  language   text check (language in ('fr', 'en')),
  created_at timestamptz not null
);
create index if not exists app_lead_consent_lead_idx on public.app_lead_consent (lead_id, created_at);

-- lead_upsert gains the consent record. The old signature goes (an overload with defaults would
-- make named calls ambiguous).
drop function if exists public.lead_upsert(text, text, text, text, text, text, boolean, integer);

-- Stores a lead (insert, or update the row with the same email, keeping earlier values the new
-- submission leaves empty) and its submission, and leases its CRM sync to the caller.
-- p_consent: true/false = an explicit choice made with p_consent_text shown (recorded in
-- app_lead_consent); null = no choice was offered (the assistant asks afterwards). A new form
-- left unticked does not withdraw an earlier yes (that takes an explicit "no" answer).
-- -> {lead_id, created, submissions, consent}
create or replace function public.lead_upsert(p_email text, p_name text default null, p_phone text default null,
  p_message text default null, p_source text default null, p_conversation_id text default null,
  p_consent boolean default null, p_lease_seconds integer default 60,
  p_consent_text text default null, p_consent_channel text default null, p_consent_language text default null)
returns jsonb language plpgsql volatile as $$
declare
  t timestamptz := public.app_now();
  v_yes boolean := coalesce(p_consent, false) and p_consent_text is not null;
  v_id uuid;
  v_created boolean;
  v_submissions integer;
  v_consent boolean;
begin
  insert into public.app_lead as l (email, email_key, name, phone, message, source, conversation_id, consent, consent_at,
    consent_text, consent_channel, consent_language, crm_sync, crm_lease_until, created_at, updated_at)
  values (p_email, lower(p_email), p_name, p_phone, p_message, p_source, p_conversation_id, v_yes,
    case when v_yes then t end, case when v_yes then p_consent_text end, case when v_yes then p_consent_channel end,
    case when v_yes then p_consent_language end, 'syncing', t + make_interval(secs => p_lease_seconds), t, t)
  on conflict (email_key) do update set
    email           = excluded.email,
    name            = coalesce(excluded.name, l.name),
    phone           = coalesce(excluded.phone, l.phone),
    message         = coalesce(excluded.message, l.message),
    source          = coalesce(excluded.source, l.source),
    conversation_id = coalesce(excluded.conversation_id, l.conversation_id),
    consent          = l.consent or excluded.consent,
    consent_at       = case when excluded.consent then excluded.consent_at else l.consent_at end,
    consent_text     = case when excluded.consent then excluded.consent_text else l.consent_text end,
    consent_channel  = case when excluded.consent then excluded.consent_channel else l.consent_channel end,
    consent_language = case when excluded.consent then excluded.consent_language else l.consent_language end,
    submissions     = l.submissions + 1,
    crm_sync        = 'syncing',
    crm_attempts    = 0,
    crm_next_attempt_at = null,
    crm_lease_until = excluded.crm_lease_until,
    updated_at      = t
  returning l.id, (l.xmax = 0), l.submissions, l.consent into v_id, v_created, v_submissions, v_consent;

  insert into public.app_lead_submission (lead_id, name, phone, message, source, conversation_id, consent, created_at)
  values (v_id, p_name, p_phone, p_message, p_source, p_conversation_id, coalesce(p_consent, false), t);

  if p_consent is not null and p_consent_text is not null then
    insert into public.app_lead_consent (lead_id, consent, wording, channel, language, created_at)
    values (v_id, p_consent, left(p_consent_text, 1000), coalesce(p_consent_channel, 'api'), p_consent_language, t);
  end if;

  return jsonb_build_object('lead_id', v_id, 'created', v_created, 'submissions', v_submissions, 'consent', v_consent);
end
$$;

-- An explicit answer to the consent question (the assistant's yes/no on a channel). The latest
-- answer wins (a "no" withdraws an earlier yes); the CRM copy is re-synced so its label follows.
-- -> {consent, recorded} or null when the lead is unknown
create or replace function public.lead_consent_record(p_lead_id uuid, p_consent boolean, p_wording text,
  p_channel text, p_language text default null)
returns jsonb language plpgsql volatile as $$
declare t timestamptz := public.app_now(); v_consent boolean;
begin
  update public.app_lead set
    consent = p_consent,
    consent_at = t,
    consent_text = left(p_wording, 1000),
    consent_channel = p_channel,
    consent_language = p_language,
    crm_sync = case when crm_sync = 'syncing' and crm_lease_until > t then crm_sync else 'pending' end,
    crm_attempts = 0,
    crm_next_attempt_at = null,
    updated_at = t
  where id = p_lead_id
  returning consent into v_consent;
  if not found then return null; end if;
  insert into public.app_lead_consent (lead_id, consent, wording, channel, language, created_at)
  values (p_lead_id, p_consent, left(p_wording, 1000), p_channel, p_language, t);
  return jsonb_build_object('consent', v_consent, 'recorded', true);
end
$$;

-- Leases up to p_limit leads whose CRM sync is due (pending and due, or syncing with an expired
-- lease). -> [{id, email, name, phone, source, consent}]
create or replace function public.lead_crm_claim(p_limit integer, p_lease_seconds integer default 60)
returns jsonb language plpgsql volatile as $$
declare t timestamptz := public.app_now(); out jsonb;
begin
  with due as (
    select id from public.app_lead
    where (crm_sync = 'pending' and coalesce(crm_next_attempt_at, '-infinity'::timestamptz) <= t)
       or (crm_sync = 'syncing' and crm_lease_until <= t)
    order by crm_next_attempt_at nulls first, created_at
    limit p_limit
    for update skip locked
  ), claimed as (
    update public.app_lead l set crm_sync = 'syncing', crm_lease_until = t + make_interval(secs => p_lease_seconds), updated_at = t
    from due where l.id = due.id
    returning l.id, l.email, l.name, l.phone, l.source, l.consent, l.created_at
  )
  select coalesce(jsonb_agg(jsonb_build_object('id', id, 'email', email, 'name', name, 'phone', phone, 'source', source,
    'consent', consent) order by created_at), '[]'::jsonb) into out from claimed;
  return out;
end
$$;

-- A lead as the owner sees it, with its consent history. -> {lead, submissions, consents} or null
create or replace function public.lead_get(p_lead_id uuid) returns jsonb
language sql stable as $$
  select jsonb_build_object(
    'lead', to_jsonb(l) - 'email_key',
    'submissions', coalesce((select jsonb_agg(to_jsonb(s) - 'lead_id' order by s.created_at, s.id)
                             from public.app_lead_submission s where s.lead_id = l.id), '[]'::jsonb),
    'consents', coalesce((select jsonb_agg(to_jsonb(k) - 'lead_id' order by k.created_at, k.id)
                          from public.app_lead_consent k where k.lead_id = l.id), '[]'::jsonb))
  from public.app_lead l where l.id = p_lead_id
$$;

-- The lead captured in a conversation (the assistant asks its consent question there).
-- -> {id, consent, consent_at} of the latest lead linked to p_conversation_id, or null
create or replace function public.lead_for_conversation(p_conversation_id text) returns jsonb
language sql stable as $$
  select jsonb_build_object('id', l.id, 'consent', l.consent, 'consent_at', l.consent_at)
  from public.app_lead l where l.conversation_id = p_conversation_id
  order by l.updated_at desc limit 1
$$;

-- ---------------------------------------------------------------------------------------------
-- Drive purge ledger
alter table public.drive_archive drop constraint if exists drive_archive_status_check;
alter table public.drive_archive add constraint drive_archive_status_check
  check (status in ('uploading', 'done', 'failed', 'purge'));

-- Marks the archives of erased conversations (transcripts "<conversation id>-<seq>") and quotes
-- for deletion from Drive; rows that never got a file are deleted at once.
-- -> {purge: rows now waiting for their Drive file to go, dropped: rows without a file deleted}
create or replace function public.drive_archive_mark_purge(p_conversation_ids text[], p_quote_ids text[] default '{}')
returns jsonb language plpgsql volatile as $$
declare t timestamptz := public.app_now(); n_purge integer; n_drop integer;
begin
  delete from public.drive_archive a
   where a.file_id is null
     and ((a.kind = 'transcript' and left(a.ref_id, 36) = any(coalesce(p_conversation_ids, '{}')))
       or (a.kind = 'quote' and a.ref_id = any(coalesce(p_quote_ids, '{}'))));
  get diagnostics n_drop = row_count;
  update public.drive_archive a set status = 'purge', lease_until = null, attempts = 0, last_error = null,
    view_url = null, download_url = null, updated_at = t
   where a.status <> 'purge'
     and ((a.kind = 'transcript' and left(a.ref_id, 36) = any(coalesce(p_conversation_ids, '{}')))
       or (a.kind = 'quote' and a.ref_id = any(coalesce(p_quote_ids, '{}'))));
  get diagnostics n_purge = row_count;
  return jsonb_build_object('purge', n_purge, 'dropped', n_drop);
end
$$;

-- Leases up to p_limit files waiting to be deleted from Drive. -> [{kind, ref_id, file_id}]
create or replace function public.drive_archive_purge_claim(p_limit integer, p_lease_seconds integer default 60)
returns jsonb language plpgsql volatile as $$
declare t timestamptz := public.app_now(); out jsonb;
begin
  with due as (
    select kind, ref_id from public.drive_archive
    where status = 'purge' and coalesce(lease_until, '-infinity'::timestamptz) <= t
    order by updated_at limit p_limit for update skip locked
  ), claimed as (
    update public.drive_archive a set lease_until = t + make_interval(secs => p_lease_seconds), attempts = a.attempts + 1, updated_at = t
    from due where a.kind = due.kind and a.ref_id = due.ref_id
    returning a.kind, a.ref_id, a.file_id
  )
  select coalesce(jsonb_agg(jsonb_build_object('kind', kind, 'ref_id', ref_id, 'file_id', file_id)), '[]'::jsonb) into out from claimed;
  return out;
end
$$;

-- The Drive file is gone (deleted, or already missing): the ledger row goes too.
-- p_error: the deletion failed; the row waits (backoff) for the next run. -> {done}
create or replace function public.drive_archive_purge_finish(p_kind text, p_ref_id text, p_error text default null)
returns jsonb language plpgsql volatile as $$
declare t timestamptz := public.app_now(); n integer;
begin
  if p_error is null then
    delete from public.drive_archive where kind = p_kind and ref_id = p_ref_id and status = 'purge';
  else
    update public.drive_archive set last_error = left(p_error, 500),
      lease_until = t + least(make_interval(mins => power(2, least(attempts, 10))::integer), interval '12 hours'), updated_at = t
    where kind = p_kind and ref_id = p_ref_id and status = 'purge';
  end if;
  get diagnostics n = row_count;
  return jsonb_build_object('done', n > 0 and p_error is null);
end
$$;

select public.comptoir_lock_down();
