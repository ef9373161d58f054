-- Channels (WhatsApp, Messenger): inbound claims, the outbound send ledger, delivery statuses,
-- the 24-hour window per user, and deferred work retried by the cron job.
--   channel_user      one row per (channel, user id): phone (WhatsApp wa_id, digits) when known,
--                     display name, the time of the user's last message (the 24 h window), and
--                     when we last sent a "text only, please" answer (so an album of photos
--                     gets one, not ten).
--   channel_inbound   the claim of each inbound message id (Meta delivers at least once, retries
--                     for days and sometimes in parallel) AND the deferred work of answering it:
--                     working (lease) -> done | failed (retried with backoff) -> abandoned.
--   channel_outbound  the send ledger: one row per (source, part index) — the source is the
--                     inbound message id for a reply, or a caller's key (e.g. an order id):
--                     pending -> sending (lease) -> sent | failed (retryable or not) |
--                     undeliverable | not_configured. Delivery status from Meta moves forward
--                     only: sent < failed < delivered < read (a late 'delivered' never overwrites
--                     'read'; a 'failed' after 'delivered' is kept in channel_status only).
--   channel_status    every status callback once per (provider message id, status), so a
--                     status that arrives before the send is recorded is applied later.
-- Time comes from public.app_now(); every function takes p_* parameters and returns jsonb.

create table if not exists public.channel_user (
  channel         text not null check (channel in ('whatsapp', 'messenger')),
  user_id         text not null check (length(user_id) between 1 and 200),
  phone           text,
  name            text,
  last_inbound_at timestamptz,
  polite_at       timestamptz,
  created_at      timestamptz not null,
  updated_at      timestamptz not null,
  primary key (channel, user_id)
);

create table if not exists public.channel_inbound (
  channel         text not null check (channel in ('whatsapp', 'messenger')),
  message_id      text not null check (length(message_id) between 1 and 300),
  user_id         text not null,
  -- turn: the assistant answers; polite: a fixed text-only answer; ignore: nothing to do.
  action          text not null check (action in ('turn', 'polite', 'ignore')),
  -- {inbound: InboundMessage, type, polite?}
  message         jsonb not null,
  status          text not null check (status in ('working', 'done', 'failed', 'abandoned')),
  note            text,
  attempts        integer not null default 0,
  lease_until     timestamptz,
  next_attempt_at timestamptz,
  last_error      text,
  received_at     timestamptz not null,
  updated_at      timestamptz not null,
  primary key (channel, message_id)
);
create index if not exists channel_inbound_retry_idx on public.channel_inbound (received_at) where status in ('working', 'failed');
create index if not exists channel_inbound_done_idx on public.channel_inbound (updated_at) where status in ('done', 'abandoned');

create table if not exists public.channel_outbound (
  id                  bigint generated always as identity primary key,
  channel             text not null check (channel in ('whatsapp', 'messenger')),
  user_id             text not null,
  source_key          text not null check (length(source_key) between 1 and 300),
  part_index          integer not null check (part_index >= 0),
  kind                text not null,
  -- The message as the platform expects it, without the recipient (added at send time).
  body                jsonb not null,
  -- The approved template to send instead when the 24 h window is closed (first part only).
  fallback            jsonb,
  status              text not null check (status in ('pending', 'sending', 'sent', 'failed', 'undeliverable', 'not_configured')),
  retryable           boolean not null default false,
  attempts            integer not null default 0,
  lease_until         timestamptz,
  next_attempt_at     timestamptz,
  provider_message_id text,
  sent_as             text check (sent_as in ('free_form', 'template')),
  error_code          text,
  last_error          text,
  delivery_status     text check (delivery_status in ('sent', 'failed', 'delivered', 'read')),
  delivery_error      jsonb,
  delivery_updated_at timestamptz,
  created_at          timestamptz not null,
  updated_at          timestamptz not null,
  sent_at             timestamptz,
  unique (channel, source_key, part_index)
);
create index if not exists channel_outbound_provider_idx on public.channel_outbound (provider_message_id) where provider_message_id is not null;
create index if not exists channel_outbound_retry_idx on public.channel_outbound (created_at) where status in ('pending', 'sending', 'failed');
create index if not exists channel_outbound_user_idx on public.channel_outbound (channel, user_id, id);

create table if not exists public.channel_status (
  provider_message_id text not null,
  status              text not null check (status in ('sent', 'failed', 'delivered', 'read')),
  channel             text not null,
  recipient_id        text,
  errors              jsonb,
  status_at           timestamptz,
  received_at         timestamptz not null,
  primary key (provider_message_id, status)
);
create index if not exists channel_status_received_idx on public.channel_status (received_at);

-- Order of delivery statuses; a status only replaces a lower one.
create or replace function public.channel_delivery_rank(p_status text) returns integer
language sql immutable as $$
  select case p_status when 'sent' then 1 when 'failed' then 2 when 'delivered' then 3 when 'read' then 4 else 0 end
$$;

create or replace function public.channel_outbound_json(o public.channel_outbound) returns jsonb
language sql stable as $$
  select jsonb_build_object('id', o.id, 'channel', o.channel, 'user_id', o.user_id, 'source_key', o.source_key,
    'part_index', o.part_index, 'kind', o.kind, 'body', o.body, 'fallback', o.fallback, 'status', o.status,
    'retryable', o.retryable, 'attempts', o.attempts, 'next_attempt_at', o.next_attempt_at,
    'provider_message_id', o.provider_message_id, 'sent_as', o.sent_as, 'error_code', o.error_code,
    'last_error', o.last_error, 'delivery_status', o.delivery_status, 'delivery_error', o.delivery_error,
    'created_at', o.created_at, 'sent_at', o.sent_at)
$$;

-- The user's send context: phone, last inbound time and whether the window is open now.
create or replace function public.channel_user_window(p_channel text, p_user_id text, p_window_hours integer default 24)
returns jsonb language sql stable as $$
  select jsonb_build_object(
    'phone', u.phone,
    'last_inbound_at', u.last_inbound_at,
    'window_open', coalesce(u.last_inbound_at > public.app_now() - make_interval(hours => p_window_hours), false),
    'now', public.app_now())
  from (select 1) one
  left join public.channel_user u on u.channel = p_channel and u.user_id = p_user_id
$$;

-- Records one webhook delivery in one round trip:
--   p_messages: [{message_id, user_id, phone, name, action, opens_window, sent_at, message}]
--     each message id is claimed once (insert ... on conflict do nothing): a duplicate does
--     nothing. A claimed 'turn'/'polite' message becomes deferred work ('working', leased for
--     p_lease_seconds); 'ignore' is recorded 'done'. The user's row is upserted; a message that
--     opens the window moves last_inbound_at forward to least(now, sent_at). A 'polite' answer
--     within p_polite_quiet_seconds of the previous one becomes 'ignore' (note polite_suppressed).
--   p_statuses: [{id, status, recipient_id, errors, at}] recorded once per (id, status) and
--     applied to the outbound message forward-only.
-- -> {claimed: [{message_id, action}], duplicates, statuses: {recorded, applied}}
create or replace function public.channel_ingest(p_channel text, p_messages jsonb default '[]'::jsonb,
  p_statuses jsonb default '[]'::jsonb, p_lease_seconds integer default 300, p_polite_quiet_seconds integer default 600)
returns jsonb language plpgsql volatile as $$
declare
  t timestamptz := public.app_now();
  m record;
  s record;
  v_action text;
  v_won integer;
  v_at timestamptz;
  v_claimed jsonb := '[]'::jsonb;
  v_dup integer := 0;
  v_recorded integer := 0;
  v_applied integer := 0;
  k integer;
begin
  -- A stable order: concurrent deliveries of the same batch take row locks in the same order.
  for m in select * from jsonb_to_recordset(coalesce(p_messages, '[]'::jsonb))
             as x(message_id text, user_id text, phone text, name text, action text, opens_window boolean, sent_at timestamptz, message jsonb)
           order by x.user_id, x.message_id loop
    v_won := null;
    insert into public.channel_inbound (channel, message_id, user_id, action, message, status, note, attempts, lease_until, received_at, updated_at)
    values (p_channel, m.message_id, m.user_id, m.action, coalesce(m.message, '{}'::jsonb),
      case when m.action = 'ignore' then 'done' else 'working' end,
      case when m.action = 'ignore' then 'ignored' end,
      case when m.action = 'ignore' then 0 else 1 end,
      case when m.action = 'ignore' then null else t + make_interval(secs => p_lease_seconds) end, t, t)
    on conflict (channel, message_id) do nothing
    returning 1 into v_won;
    if v_won is null then
      v_dup := v_dup + 1;
      continue;
    end if;

    v_at := case when coalesce(m.opens_window, false) then least(t, coalesce(m.sent_at, t)) end;
    insert into public.channel_user as u (channel, user_id, phone, name, last_inbound_at, created_at, updated_at)
    values (p_channel, m.user_id, nullif(m.phone, ''), nullif(left(btrim(m.name), 200), ''), v_at, t, t)
    on conflict (channel, user_id) do update set
      phone = coalesce(excluded.phone, u.phone),
      name = coalesce(excluded.name, u.name),
      last_inbound_at = greatest(u.last_inbound_at, excluded.last_inbound_at),
      updated_at = t;

    v_action := m.action;
    if v_action = 'polite' then
      update public.channel_user set polite_at = t
       where channel = p_channel and user_id = m.user_id
         and (polite_at is null or polite_at <= t - make_interval(secs => p_polite_quiet_seconds));
      get diagnostics k = row_count;
      if k = 0 then
        v_action := 'ignore';
        update public.channel_inbound set status = 'done', note = 'polite_suppressed', lease_until = null, attempts = 0
         where channel = p_channel and message_id = m.message_id;
      end if;
    end if;
    if v_action <> 'ignore' then
      v_claimed := v_claimed || jsonb_build_array(jsonb_build_object('message_id', m.message_id, 'action', v_action));
    end if;
  end loop;

  for s in select * from jsonb_to_recordset(coalesce(p_statuses, '[]'::jsonb))
             as x(id text, status text, recipient_id text, errors jsonb, at timestamptz)
           where x.status in ('sent', 'failed', 'delivered', 'read')
           order by x.id, public.channel_delivery_rank(x.status) loop
    insert into public.channel_status (provider_message_id, status, channel, recipient_id, errors, status_at, received_at)
    values (s.id, s.status, p_channel, s.recipient_id, s.errors, s.at, t)
    on conflict (provider_message_id, status) do nothing;
    get diagnostics k = row_count;
    v_recorded := v_recorded + k;
    update public.channel_outbound set
      delivery_status = s.status,
      delivery_error = case when s.status = 'failed' then s.errors else delivery_error end,
      delivery_updated_at = t,
      updated_at = t
     where provider_message_id = s.id and channel = p_channel
       and public.channel_delivery_rank(s.status) > public.channel_delivery_rank(delivery_status);
    get diagnostics k = row_count;
    v_applied := v_applied + k;
  end loop;

  return jsonb_build_object('claimed', v_claimed, 'duplicates', v_dup,
    'statuses', jsonb_build_object('recorded', v_recorded, 'applied', v_applied));
end
$$;

-- The answer to an inbound message could not be produced: retried after p_retry_seconds.
create or replace function public.channel_work_fail(p_channel text, p_message_id text, p_error text, p_retry_seconds integer default 300)
returns jsonb language sql volatile as $$
  with u as (
    update public.channel_inbound set status = 'failed', lease_until = null, last_error = left(p_error, 500),
      next_attempt_at = public.app_now() + make_interval(secs => p_retry_seconds), updated_at = public.app_now()
     where channel = p_channel and message_id = p_message_id and status = 'working'
    returning 1)
  select to_jsonb((select count(*) from u)::integer)
$$;

-- Stores a reply's parts and takes the lease on those to send now, in one round trip.
--   p_parts: [{kind, body, fallback}] in order; part i is (p_source_key, i), stored once.
--   Not configured: the parts are stored 'not_configured' and nothing is leased.
--   p_work_message_id: the inbound message whose deferred work this completes ('done').
-- -> {rows: [{id, part_index, kind, body, fallback, attempts}] (leased, in order), phone,
--     last_inbound_at, window_open, now}
create or replace function public.channel_outbound_begin(p_channel text, p_user_id text, p_source_key text, p_parts jsonb,
  p_configured boolean default true, p_lease_seconds integer default 120, p_work_message_id text default null,
  p_window_hours integer default 24)
returns jsonb language plpgsql volatile as $$
declare
  t timestamptz := public.app_now();
  v_rows jsonb;
begin
  if p_work_message_id is not null then
    update public.channel_inbound set status = 'done', lease_until = null, next_attempt_at = null, updated_at = t
     where channel = p_channel and message_id = p_work_message_id and status in ('working', 'failed');
  end if;

  insert into public.channel_outbound (channel, user_id, source_key, part_index, kind, body, fallback, status,
    last_error, created_at, updated_at)
  select p_channel, p_user_id, p_source_key, (x.ord - 1)::integer, coalesce(x.part->>'kind', 'text'), x.part->'body',
    nullif(x.part->'fallback', 'null'::jsonb),
    case when p_configured then 'pending' else 'not_configured' end,
    case when p_configured then null else 'channel not configured: logged and stored, not sent' end, t, t
  from jsonb_array_elements(coalesce(p_parts, '[]'::jsonb)) with ordinality as x(part, ord)
  order by x.ord
  on conflict (channel, source_key, part_index) do nothing;

  with leased as (
    update public.channel_outbound set status = 'sending', attempts = attempts + 1,
      lease_until = t + make_interval(secs => p_lease_seconds), updated_at = t
     where channel = p_channel and source_key = p_source_key and status = 'pending' and p_configured
    returning id, part_index, kind, body, fallback, attempts)
  select coalesce(jsonb_agg(to_jsonb(l) order by l.part_index), '[]'::jsonb) into v_rows from leased l;

  return jsonb_build_object('rows', v_rows) || public.channel_user_window(p_channel, p_user_id, p_window_hours);
end
$$;

-- Records send outcomes: [{id, status, provider_message_id, sent_as, error_code, error, retry_seconds}]
--   status: sent | failed | undeliverable | pending (released unsent: another part before it
--   must go first). A failed row with retry_seconds is retryable (next_attempt_at). Only a
--   'sending' row moves. A sent row takes the best status Meta already reported for its id.
-- -> number of rows updated
create or replace function public.channel_outbound_finish(p_results jsonb) returns jsonb
language plpgsql volatile as $$
declare
  t timestamptz := public.app_now();
  r record;
  n integer := 0;
  k integer;
begin
  for r in select * from jsonb_to_recordset(coalesce(p_results, '[]'::jsonb))
             as x(id bigint, status text, provider_message_id text, sent_as text, error_code text, error text, retry_seconds integer) loop
    update public.channel_outbound o set
      status = r.status,
      retryable = r.status in ('failed', 'pending') and r.retry_seconds is not null,
      attempts = case when r.status = 'pending' then greatest(o.attempts - 1, 0) else o.attempts end,
      lease_until = null,
      next_attempt_at = case when r.status in ('failed', 'pending') and r.retry_seconds is not null
                             then t + make_interval(secs => r.retry_seconds) end,
      provider_message_id = coalesce(r.provider_message_id, o.provider_message_id),
      sent_as = coalesce(r.sent_as, o.sent_as),
      error_code = case when r.status = 'sent' then null else coalesce(r.error_code, o.error_code) end,
      last_error = case when r.status = 'sent' then null else coalesce(left(r.error, 500), o.last_error) end,
      sent_at = case when r.status = 'sent' then t else o.sent_at end,
      delivery_status = case when r.status = 'sent' and r.provider_message_id is not null then
        (select st.status from public.channel_status st where st.provider_message_id = r.provider_message_id
          order by public.channel_delivery_rank(st.status) desc limit 1) else o.delivery_status end,
      delivery_error = case when r.status = 'sent' and r.provider_message_id is not null then
        (select st.errors from public.channel_status st where st.provider_message_id = r.provider_message_id and st.status = 'failed')
        else o.delivery_error end,
      updated_at = t
    where o.id = r.id and o.status = 'sending' and r.status in ('sent', 'failed', 'undeliverable', 'pending');
    get diagnostics k = row_count;
    n := n + k;
  end loop;
  return to_jsonb(n);
end
$$;

-- The cron step: leases what is due for another try, in one round trip.
--   outbound: failed-retryable or released rows whose next attempt is due, and 'sending' rows
--     whose lease ended (their sender died); out of attempts -> failed for good.
--   work: failed inbound work that is due, and 'working' rows whose lease ended; out of
--     attempts -> abandoned.
-- -> {outbound: [{..row, phone, last_inbound_at, window_open}], work: [{channel, message_id,
--     user_id, action, message, attempts}], exhausted: {outbound, work}}
create or replace function public.channel_retry_claim(p_limit integer, p_max_attempts integer,
  p_outbound_lease_seconds integer default 120, p_work_lease_seconds integer default 300, p_window_hours integer default 24)
returns jsonb language plpgsql volatile as $$
declare
  t timestamptz := public.app_now();
  v_out jsonb;
  v_work jsonb;
  x_out integer;
  x_work integer;
begin
  update public.channel_outbound set status = 'failed', retryable = false, lease_until = null, next_attempt_at = null,
    last_error = left(coalesce(last_error || '; ', '') || format('gave up after %s attempts', attempts), 500), updated_at = t
   where attempts >= p_max_attempts
     and ((status in ('failed', 'pending') and retryable and next_attempt_at <= t) or (status = 'sending' and lease_until <= t));
  get diagnostics x_out = row_count;

  with due as (
    select id from public.channel_outbound
     where attempts < p_max_attempts
       and ((status in ('failed', 'pending') and retryable and next_attempt_at <= t) or (status = 'sending' and lease_until <= t))
     order by created_at, source_key, part_index
     limit greatest(p_limit, 0)
     for update skip locked),
  leased as (
    update public.channel_outbound o set status = 'sending', attempts = o.attempts + 1,
      lease_until = t + make_interval(secs => p_outbound_lease_seconds), updated_at = t
      from due where o.id = due.id
    returning o.*)
  select coalesce(jsonb_agg(public.channel_outbound_json(l) || public.channel_user_window(l.channel, l.user_id, p_window_hours)
                            order by l.created_at, l.source_key, l.part_index), '[]'::jsonb)
    into v_out from leased l;

  update public.channel_inbound set status = 'abandoned', lease_until = null, next_attempt_at = null,
    last_error = left(coalesce(last_error || '; ', '') || format('gave up after %s attempts', attempts), 500), updated_at = t
   where attempts >= p_max_attempts
     and ((status = 'failed' and next_attempt_at <= t) or (status = 'working' and lease_until <= t));
  get diagnostics x_work = row_count;

  with due as (
    select channel, message_id from public.channel_inbound
     where attempts < p_max_attempts
       and ((status = 'failed' and next_attempt_at <= t) or (status = 'working' and lease_until <= t))
     order by received_at, message_id
     limit greatest(p_limit, 0)
     for update skip locked),
  leased as (
    update public.channel_inbound i set status = 'working', attempts = i.attempts + 1,
      lease_until = t + make_interval(secs => p_work_lease_seconds), updated_at = t
      from due where i.channel = due.channel and i.message_id = due.message_id
    returning i.*)
  select coalesce(jsonb_agg(jsonb_build_object('channel', l.channel, 'message_id', l.message_id, 'user_id', l.user_id,
                  'action', l.action, 'message', l.message, 'attempts', l.attempts) order by l.received_at, l.message_id), '[]'::jsonb)
    into v_work from leased l;

  return jsonb_build_object('outbound', v_out, 'work', v_work, 'exhausted', jsonb_build_object('outbound', x_out, 'work', x_work));
end
$$;

-- Outbound messages of a user or of a source, oldest first (tests, the owner's tools).
create or replace function public.channel_outbound_list(p_channel text, p_user_id text default null, p_source_key text default null)
returns jsonb language sql stable as $$
  select coalesce(jsonb_agg(public.channel_outbound_json(o) order by o.id), '[]'::jsonb)
  from public.channel_outbound o
  where o.channel = p_channel
    and (p_user_id is null or o.user_id = p_user_id)
    and (p_source_key is null or o.source_key = p_source_key)
$$;

-- One inbound claim (tests, the owner's tools); null when unknown.
create or replace function public.channel_inbound_get(p_channel text, p_message_id text) returns jsonb
language sql stable as $$
  select to_jsonb(i) from public.channel_inbound i where i.channel = p_channel and i.message_id = p_message_id
$$;

-- One channel user with the window state; null when unknown.
create or replace function public.channel_user_get(p_channel text, p_user_id text) returns jsonb
language sql stable as $$
  select to_jsonb(u) || public.channel_user_window(p_channel, p_user_id)
  from public.channel_user u where u.channel = p_channel and u.user_id = p_user_id
$$;

-- Deletes finished rows: inbound claims after p_inbound_days (Meta retries for up to 7 days,
-- so keep them longer), finished outbound messages, statuses and silent users after p_outbound_days.
create or replace function public.channel_cleanup(p_inbound_days integer default 30, p_outbound_days integer default 90)
returns jsonb language plpgsql volatile as $$
declare
  t timestamptz := public.app_now();
  n_in integer; n_out integer; n_st integer; n_user integer;
begin
  delete from public.channel_inbound where status in ('done', 'abandoned') and updated_at < t - make_interval(days => greatest(p_inbound_days, 8));
  get diagnostics n_in = row_count;
  delete from public.channel_outbound
   where (status in ('sent', 'undeliverable', 'not_configured') or (status = 'failed' and not retryable))
     and updated_at < t - make_interval(days => p_outbound_days);
  get diagnostics n_out = row_count;
  delete from public.channel_status where received_at < t - make_interval(days => p_outbound_days);
  get diagnostics n_st = row_count;
  -- Users silent for that long: their phone number and name go too (nothing left to send them).
  delete from public.channel_user u where u.updated_at < t - make_interval(days => p_outbound_days)
     and not exists (select 1 from public.channel_outbound o where o.channel = u.channel and o.user_id = u.user_id
                      and o.status in ('pending', 'sending', 'failed'));
  get diagnostics n_user = row_count;
  return jsonb_build_object('channel_inbound', n_in, 'channel_outbound', n_out, 'channel_status', n_st, 'channel_user', n_user);
end
$$;

select public.comptoir_lock_down();
