-- Leads, coupon offers and owner notifications.
--   Leads: one row per email (upsert), every submission kept in app_lead_submission; the CRM
--          sync state moves pending -> syncing (lease) -> synced | pending (retry) | failed.
--   Notifications: one row per (notify call, channel). A send is claimed per (dedup_key,
--          channel) in app_notification_claim BEFORE it happens, for a TTL; a failed send gives
--          its claim back so a retry can send. Status: sending -> sent | failed; deduped and
--          skipped_not_configured are final.
--   Coupons: offers the assistant makes (never codes); at most one offer per conversation and
--          per contact per cool-down, claimed atomically in app_coupon_cooldown; an offer is
--          redeemed into a real coupon exactly once under a lease.
-- Time comes from public.app_now(); every function takes p_* parameters.

-- ---------------------------------------------------------------------------------------------
-- Leads
create table if not exists public.app_lead (
  id                  uuid primary key default gen_random_uuid(),
  email               text not null,
  email_key           text not null unique,
  name                text,
  phone               text,
  message             text,
  source              text,
  conversation_id     text,
  consent             boolean not null default false,
  consent_at          timestamptz,
  submissions         integer not null default 1,
  crm_sync            text not null default 'pending' check (crm_sync in ('pending', 'syncing', 'synced', 'failed')),
  crm_contact_id      text,
  crm_attempts        integer not null default 0,
  crm_next_attempt_at timestamptz,
  crm_lease_until     timestamptz,
  crm_last_error      text,
  crm_synced_at       timestamptz,
  created_at          timestamptz not null,
  updated_at          timestamptz not null
);
create index if not exists app_lead_crm_due_idx on public.app_lead (crm_next_attempt_at) where crm_sync in ('pending', 'syncing');

create table if not exists public.app_lead_submission (
  id              bigint generated always as identity primary key,
  lead_id         uuid not null references public.app_lead (id) on delete cascade,
  name            text,
  phone           text,
  message         text,
  source          text,
  conversation_id text,
  consent         boolean not null default false,
  created_at      timestamptz not null
);
create index if not exists app_lead_submission_lead_idx on public.app_lead_submission (lead_id, created_at);

-- Stores a lead (insert, or update the row with the same email, keeping earlier values the new
-- submission leaves empty) and its submission, and leases its CRM sync to the caller.
-- -> {lead_id, created, submissions}
create or replace function public.lead_upsert(p_email text, p_name text default null, p_phone text default null,
  p_message text default null, p_source text default null, p_conversation_id text default null,
  p_consent boolean default false, p_lease_seconds integer default 60)
returns jsonb language plpgsql volatile as $$
declare
  t timestamptz := public.app_now();
  v_id uuid;
  v_created boolean;
  v_submissions integer;
begin
  insert into public.app_lead as l (email, email_key, name, phone, message, source, conversation_id, consent, consent_at,
    crm_sync, crm_lease_until, created_at, updated_at)
  values (p_email, lower(p_email), p_name, p_phone, p_message, p_source, p_conversation_id, coalesce(p_consent, false),
    case when p_consent then t end, 'syncing', t + make_interval(secs => p_lease_seconds), t, t)
  on conflict (email_key) do update set
    email           = excluded.email,
    name            = coalesce(excluded.name, l.name),
    phone           = coalesce(excluded.phone, l.phone),
    message         = coalesce(excluded.message, l.message),
    source          = coalesce(excluded.source, l.source),
    conversation_id = coalesce(excluded.conversation_id, l.conversation_id),
    consent         = l.consent or excluded.consent,
    consent_at      = coalesce(l.consent_at, excluded.consent_at),
    submissions     = l.submissions + 1,
    crm_sync        = 'syncing',
    crm_attempts    = 0,
    crm_next_attempt_at = null,
    crm_lease_until = excluded.crm_lease_until,
    updated_at      = t
  returning l.id, (l.xmax = 0), l.submissions into v_id, v_created, v_submissions;

  insert into public.app_lead_submission (lead_id, name, phone, message, source, conversation_id, consent, created_at)
  values (v_id, p_name, p_phone, p_message, p_source, p_conversation_id, coalesce(p_consent, false), t);

  return jsonb_build_object('lead_id', v_id, 'created', v_created, 'submissions', v_submissions);
end
$$;

-- Records the outcome of a CRM sync attempt. A failure counts an attempt (unless p_count_attempt
-- is false: the CRM was known to be down and nothing was sent), schedules the next one with
-- exponential backoff, and gives up ('failed', the lead stays stored) after p_max_attempts.
-- 'synced' never moves back. -> {crm_sync, attempts}
create or replace function public.lead_crm_result(p_lead_id uuid, p_ok boolean, p_contact_id text default null,
  p_error text default null, p_count_attempt boolean default true, p_max_attempts integer default 8)
returns jsonb language sql volatile as $$
  with t as (select public.app_now() as now),
  upd as (
    update public.app_lead l set
      crm_sync = case
        when p_ok then 'synced'
        when l.crm_sync = 'synced' then 'synced'
        when p_count_attempt and l.crm_attempts + 1 >= p_max_attempts then 'failed'
        else 'pending' end,
      crm_contact_id = case when p_ok then coalesce(p_contact_id, l.crm_contact_id) else l.crm_contact_id end,
      crm_attempts = case when not p_ok and p_count_attempt and l.crm_sync <> 'synced' then l.crm_attempts + 1 else l.crm_attempts end,
      crm_next_attempt_at = case
        when p_ok or l.crm_sync = 'synced' then null
        else (select now from t) + least(make_interval(mins => power(2, least(l.crm_attempts, 10))::integer), interval '12 hours') end,
      crm_lease_until = null,
      crm_last_error = case when p_ok then null else left(p_error, 500) end,
      crm_synced_at = case when p_ok then (select now from t) else l.crm_synced_at end,
      updated_at = (select now from t)
    where l.id = p_lead_id
    returning l.crm_sync, l.crm_attempts
  )
  select coalesce((select jsonb_build_object('crm_sync', crm_sync, 'attempts', crm_attempts) from upd), 'null'::jsonb)
$$;

-- Leases up to p_limit leads whose CRM sync is due (pending and due, or syncing with an expired
-- lease). -> [{id, email, name, phone, source}]
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
    returning l.id, l.email, l.name, l.phone, l.source, l.created_at
  )
  select coalesce(jsonb_agg(jsonb_build_object('id', id, 'email', email, 'name', name, 'phone', phone, 'source', source)
    order by created_at), '[]'::jsonb) into out from claimed;
  return out;
end
$$;

-- A lead as the owner sees it (tests, admin tools). -> {lead, submissions: [...]} or null
create or replace function public.lead_get(p_lead_id uuid) returns jsonb
language sql stable as $$
  select jsonb_build_object(
    'lead', to_jsonb(l) - 'email_key',
    'submissions', coalesce((select jsonb_agg(to_jsonb(s) - 'lead_id' order by s.created_at, s.id)
                             from public.app_lead_submission s where s.lead_id = l.id), '[]'::jsonb))
  from public.app_lead l where l.id = p_lead_id
$$;

-- ---------------------------------------------------------------------------------------------
-- Notifications
create table if not exists public.app_notification (
  id              uuid primary key default gen_random_uuid(),
  seq             bigint generated always as identity,
  type            text not null,
  dedup_key       text not null,
  channel         text not null check (channel in ('email', 'whatsapp')),
  recipient       text,
  reply_to        text,
  subject         text not null,
  message         text not null,
  fields          jsonb not null default '[]'::jsonb, -- [[label, value], ...] (jsonb objects do not keep order)
  status          text not null check (status in ('sending', 'sent', 'deduped', 'failed', 'skipped_not_configured')),
  transport       text,
  error           text,
  retryable       boolean not null default true,
  attempts        integer not null default 0,
  next_attempt_at timestamptz,
  lease_until     timestamptz,
  created_at      timestamptz not null,
  updated_at      timestamptz not null,
  sent_at         timestamptz
);
create index if not exists app_notification_key_idx on public.app_notification (dedup_key, channel, created_at);
create index if not exists app_notification_retry_idx on public.app_notification (created_at) where status in ('failed', 'sending');

-- The live claim of a (dedup_key, channel): at most one notification sends it per TTL.
create table if not exists public.app_notification_claim (
  dedup_key       text not null,
  channel         text not null,
  notification_id uuid not null,
  expires_at      timestamptz not null,
  primary key (dedup_key, channel)
);
create index if not exists app_notification_claim_expires_idx on public.app_notification_claim (expires_at);
create index if not exists app_notification_claim_owner_idx on public.app_notification_claim (notification_id);

-- Claims and records one notification on each channel, in one statement.
-- p_channels: [{channel, recipient, configured}]. A configured channel whose (key, channel) is
-- free (or expired) is claimed for p_ttl_seconds and recorded 'sending' (the caller sends it
-- now); a live claim makes it 'deduped'; an unconfigured one is 'skipped_not_configured'.
-- -> [{channel, id, status}]
create or replace function public.notification_begin(p_type text, p_dedup_key text, p_subject text, p_message text,
  p_fields jsonb, p_channels jsonb, p_ttl_seconds integer, p_lease_seconds integer default 120, p_reply_to text default null)
returns jsonb language plpgsql volatile as $$
declare
  t timestamptz := public.app_now();
  c record;
  nid uuid;
  won integer;
  st text;
  out jsonb := '[]'::jsonb;
begin
  for c in select * from jsonb_to_recordset(p_channels) as x(channel text, recipient text, configured boolean) loop
    nid := gen_random_uuid();
    won := null;
    if coalesce(c.configured, false) then
      insert into public.app_notification_claim as k (dedup_key, channel, notification_id, expires_at)
      values (p_dedup_key, c.channel, nid, t + make_interval(secs => p_ttl_seconds))
      on conflict (dedup_key, channel) do update
        set notification_id = excluded.notification_id, expires_at = excluded.expires_at
        where k.expires_at <= t
      returning 1 into won;
      st := case when won is null then 'deduped' else 'sending' end;
    else
      st := 'skipped_not_configured';
    end if;
    insert into public.app_notification (id, type, dedup_key, channel, recipient, reply_to, subject, message, fields, status,
      attempts, lease_until, created_at, updated_at)
    values (nid, p_type, p_dedup_key, c.channel, c.recipient, p_reply_to, p_subject, p_message, coalesce(p_fields, '[]'::jsonb), st,
      case when st = 'sending' then 1 else 0 end,
      case when st = 'sending' then t + make_interval(secs => p_lease_seconds) end, t, t);
    out := out || jsonb_build_array(jsonb_build_object('channel', c.channel, 'id', nid, 'status', st));
  end loop;
  return out;
end
$$;

-- Records the outcome of sends: [{id, ok, error, retryable, transport}]. A failure gives the
-- claim back (a retry may send) and schedules a retry with backoff; only a 'sending' row moves.
-- -> number of rows updated
create or replace function public.notification_finish(p_results jsonb) returns jsonb
language plpgsql volatile as $$
declare
  t timestamptz := public.app_now();
  r record;
  n integer := 0;
  k integer;
begin
  for r in select * from jsonb_to_recordset(p_results) as x(id uuid, ok boolean, error text, retryable boolean, transport text) loop
    update public.app_notification set
      status = case when r.ok then 'sent' else 'failed' end,
      transport = r.transport,
      error = case when r.ok then null else left(r.error, 500) end,
      retryable = case when r.ok then false else coalesce(r.retryable, true) end,
      sent_at = case when r.ok then t end,
      lease_until = null,
      next_attempt_at = case when r.ok then null
        else t + least(make_interval(mins => power(2, least(attempts, 10))::integer), interval '12 hours') end,
      updated_at = t
    where id = r.id and status = 'sending';
    get diagnostics k = row_count;
    n := n + k;
    if not r.ok then
      delete from public.app_notification_claim where notification_id = r.id;
    end if;
  end loop;
  return to_jsonb(n);
end
$$;

-- Leases failed notifications that are due for another attempt (and 'sending' rows whose lease
-- expired: their sender died). A row is retried only if it can take its (key, channel) claim;
-- a row whose message a later notification already delivered becomes 'deduped'; a row out of
-- attempts stays 'failed' for good.
-- -> {claimed: [{id, type, dedup_key, channel, recipient, reply_to, subject, message, fields}], superseded, exhausted}
create or replace function public.notification_retry_claim(p_limit integer, p_max_attempts integer,
  p_ttl_seconds integer, p_lease_seconds integer default 120)
returns jsonb language plpgsql volatile as $$
declare
  t timestamptz := public.app_now();
  r public.app_notification;
  won integer;
  out jsonb := '[]'::jsonb;
  superseded integer := 0;
  exhausted integer := 0;
begin
  for r in select * from public.app_notification n
           where (n.status = 'failed' and n.retryable and n.attempts < p_max_attempts
                  and coalesce(n.next_attempt_at, '-infinity'::timestamptz) <= t)
              or (n.status = 'sending' and n.lease_until <= t)
           order by n.seq
           limit p_limit
           for update skip locked loop
    if exists (select 1 from public.app_notification s
               where s.dedup_key = r.dedup_key and s.channel = r.channel and s.status = 'sent'
                 and s.seq > r.seq) then
      update public.app_notification set status = 'deduped', lease_until = null, updated_at = t where id = r.id;
      delete from public.app_notification_claim where notification_id = r.id;
      superseded := superseded + 1;
      continue;
    end if;
    if r.attempts >= p_max_attempts then
      update public.app_notification set status = 'failed', retryable = false, lease_until = null,
        error = coalesce(error, 'sender stopped before reporting'), updated_at = t where id = r.id;
      delete from public.app_notification_claim where notification_id = r.id;
      exhausted := exhausted + 1;
      continue;
    end if;
    won := null;
    insert into public.app_notification_claim as k (dedup_key, channel, notification_id, expires_at)
    values (r.dedup_key, r.channel, r.id, t + make_interval(secs => p_ttl_seconds))
    on conflict (dedup_key, channel) do update
      set notification_id = excluded.notification_id, expires_at = excluded.expires_at
      where k.expires_at <= t or k.notification_id = excluded.notification_id
    returning 1 into won;
    continue when won is null; -- another send of the same message is in flight
    update public.app_notification set status = 'sending', attempts = attempts + 1,
      lease_until = t + make_interval(secs => p_lease_seconds), updated_at = t where id = r.id;
    out := out || jsonb_build_array(jsonb_build_object('id', r.id, 'type', r.type, 'dedup_key', r.dedup_key,
      'channel', r.channel, 'recipient', r.recipient, 'reply_to', r.reply_to, 'subject', r.subject, 'message', r.message, 'fields', r.fields));
  end loop;
  return jsonb_build_object('claimed', out, 'superseded', superseded, 'exhausted', exhausted);
end
$$;

-- Notifications recorded for a dedup key, oldest first (tests, admin tools).
create or replace function public.notification_list(p_dedup_key text) returns jsonb
language sql stable as $$
  select coalesce(jsonb_agg(jsonb_build_object('id', id, 'type', type, 'channel', channel, 'recipient', recipient,
    'status', status, 'transport', transport, 'error', error, 'attempts', attempts, 'retryable', retryable)
    order by seq), '[]'::jsonb)
  from public.app_notification where dedup_key = p_dedup_key
$$;

-- ---------------------------------------------------------------------------------------------
-- Coupon offers
create table if not exists public.app_coupon_offer (
  id              text primary key,
  source          text not null default 'assistant' check (source in ('assistant', 'admin')),
  conversation_id text,
  contact_key     text,
  type            text not null check (type in ('PERCENTAGE', 'FIXED_AMOUNT', 'FREE_SHIPPING')),
  value           numeric(12, 2) not null check (value >= 0),
  reason          text,
  status          text not null default 'offered' check (status in ('offered', 'redeeming', 'redeemed')),
  attempts        integer not null default 0,
  lease_token     uuid,
  lease_until     timestamptz,
  coupon          jsonb,
  created_at      timestamptz not null,
  expires_at      timestamptz not null,
  redeemed_at     timestamptz,
  check (type <> 'PERCENTAGE' or value <= 100)
);
create index if not exists app_coupon_offer_conversation_idx on public.app_coupon_offer (conversation_id);

-- One row per cool-down key ('conv:<id>', 'contact:<key>'), live until `until`.
create table if not exists public.app_coupon_cooldown (
  key      text primary key,
  offer_id text not null,
  until    timestamptz not null
);
create index if not exists app_coupon_cooldown_until_idx on public.app_coupon_cooldown (until);

-- Stores an offer unless the conversation or the contact already had one within the cool-down.
-- Both keys are claimed in one subtransaction: either both are taken or neither.
-- -> {status: 'created', offer: {id, type, value, expiresAt}} | {status: 'cooldown', retry_after_days}
create or replace function public.coupon_offer_create(p_id text, p_conversation_id text, p_contact_key text,
  p_type text, p_value numeric, p_reason text, p_offer_ttl_seconds integer, p_cooldown_days integer)
returns jsonb language plpgsql volatile as $$
declare
  t timestamptz := public.app_now();
  v_until timestamptz := t + make_interval(days => p_cooldown_days);
  v_key text;
  won integer;
  blocked timestamptz;
  v_expires timestamptz := t + make_interval(secs => p_offer_ttl_seconds);
begin
  if p_cooldown_days > 0 then
    begin
      foreach v_key in array array_remove(array[
          'conv:' || p_conversation_id,
          case when p_contact_key is not null and p_contact_key <> '' then 'contact:' || p_contact_key end], null) loop
        won := null;
        insert into public.app_coupon_cooldown as c (key, offer_id, until) values (v_key, p_id, v_until)
        on conflict (key) do update set offer_id = excluded.offer_id, until = excluded.until where c.until <= t
        returning 1 into won;
        if won is null then
          select until into blocked from public.app_coupon_cooldown where key = v_key;
          raise exception 'coupon cool-down' using errcode = 'CP001';
        end if;
      end loop;
    exception when sqlstate 'CP001' then
      return jsonb_build_object('status', 'cooldown',
        'retry_after_days', greatest(1, ceil(extract(epoch from blocked - t) / 86400))::integer);
    end;
  end if;
  insert into public.app_coupon_offer (id, conversation_id, contact_key, type, value, reason, created_at, expires_at)
  values (p_id, p_conversation_id, nullif(p_contact_key, ''), p_type, p_value, p_reason, t, v_expires);
  return jsonb_build_object('status', 'created',
    'offer', jsonb_build_object('id', p_id, 'type', p_type, 'value', p_value, 'expiresAt', v_expires));
end
$$;

-- Takes the right to redeem an offer (a lease), or says why not.
-- -> {status: 'not_found'} | {status: 'expired'} | {status: 'redeemed', coupon}
--  | {status: 'in_progress', retry_after_ms} | {status: 'claimed', token, offer: {type, value, conversation_id}}
create or replace function public.coupon_offer_redeem_claim(p_id text, p_lease_seconds integer default 60)
returns jsonb language plpgsql volatile as $$
declare
  t timestamptz := public.app_now();
  o public.app_coupon_offer;
  tok uuid := gen_random_uuid();
begin
  select * into o from public.app_coupon_offer where id = p_id for update;
  if not found then
    return jsonb_build_object('status', 'not_found');
  end if;
  if o.status = 'redeemed' then
    return jsonb_build_object('status', 'redeemed', 'coupon', o.coupon);
  end if;
  if o.status = 'redeeming' and o.lease_until > t then
    return jsonb_build_object('status', 'in_progress',
      'retry_after_ms', greatest(1, ceil(extract(epoch from o.lease_until - t) * 1000))::bigint);
  end if;
  if o.expires_at <= t then
    return jsonb_build_object('status', 'expired');
  end if;
  update public.app_coupon_offer set status = 'redeeming', lease_token = tok,
    lease_until = t + make_interval(secs => p_lease_seconds), attempts = attempts + 1
  where id = p_id;
  return jsonb_build_object('status', 'claimed', 'token', tok,
    'offer', jsonb_build_object('type', o.type, 'value', o.value, 'conversation_id', o.conversation_id, 'reason', o.reason));
end
$$;

-- Ends a redemption lease: with p_coupon the offer becomes 'redeemed' (for good); without, it
-- goes back to 'offered' so a later call may try again. Only the lease holder moves the offer.
-- -> {status, coupon}
create or replace function public.coupon_offer_redeem_finish(p_id text, p_token uuid, p_coupon jsonb default null)
returns jsonb language plpgsql volatile as $$
declare
  t timestamptz := public.app_now();
  o public.app_coupon_offer;
begin
  if p_coupon is not null then
    update public.app_coupon_offer set status = 'redeemed', coupon = p_coupon, redeemed_at = t, lease_token = null, lease_until = null
    where id = p_id and status = 'redeeming' and lease_token = p_token;
  else
    update public.app_coupon_offer set status = 'offered', lease_token = null, lease_until = null
    where id = p_id and status = 'redeeming' and lease_token = p_token;
  end if;
  select * into o from public.app_coupon_offer where id = p_id;
  return jsonb_build_object('status', o.status, 'coupon', o.coupon);
end
$$;

-- The state of an offer (polled by a caller waiting on a concurrent redemption).
-- -> {status, coupon, expired} or null
create or replace function public.coupon_offer_status(p_id text) returns jsonb
language sql stable as $$
  select jsonb_build_object('status', status, 'coupon', coupon, 'expired', expires_at <= public.app_now())
  from public.app_coupon_offer where id = p_id
$$;

-- Records a coupon the owner created directly (POST /api/coupon with the admin key).
create or replace function public.coupon_record_issued(p_id text, p_type text, p_value numeric, p_reason text, p_coupon jsonb)
returns void language sql volatile as $$
  insert into public.app_coupon_offer (id, source, type, value, reason, status, coupon, created_at, expires_at, redeemed_at)
  values (p_id, 'admin', p_type, p_value, p_reason, 'redeemed', p_coupon, public.app_now(),
    coalesce((p_coupon ->> 'expiresAt')::timestamptz, public.app_now()), public.app_now())
$$;

-- ---------------------------------------------------------------------------------------------
-- Cleanup of this module's expired rows (the cron job calls it next to cleanup_expired()).
-- Expired notification claims and cool-downs; notifications in a final state (delivered,
-- deduped, skipped, failed for good) after p_keep_days (their content is personal data).
create or replace function public.comms_cleanup_expired(p_keep_days integer default 90) returns jsonb
language plpgsql volatile as $$
declare t timestamptz := public.app_now(); n_claims integer; n_cool integer; n_notif integer;
begin
  delete from public.app_notification_claim where expires_at <= t;
  get diagnostics n_claims = row_count;
  delete from public.app_coupon_cooldown where until <= t;
  get diagnostics n_cool = row_count;
  delete from public.app_notification
  where created_at < t - make_interval(days => p_keep_days)
    and (status in ('sent', 'deduped', 'skipped_not_configured') or (status = 'failed' and not retryable));
  get diagnostics n_notif = row_count;
  return jsonb_build_object('notification_claims', n_claims, 'coupon_cooldowns', n_cool, 'old_notifications', n_notif);
end
$$;

select public.comptoir_lock_down();
