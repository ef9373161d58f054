-- Checkout: owner quotes, orders (one per Stripe Checkout session) whose status only moves
-- forward, Stripe event claims, and the follow-ups of a paid order (owner notification,
-- shopper confirmation, channel message) with a lease so a crash never loses them.
-- Money is integer minor units (bigint) plus a lower-case ISO currency.

-- Quotes ("devis"): a custom order prepared by the owner (POST /api/quote), payable once.
create table if not exists public.app_quote (
  id              text primary key,
  status          text not null default 'open' check (status in ('open', 'paid', 'cancelled')),
  currency        text not null,
  amount_total    bigint not null check (amount_total > 0),
  -- [{productId|null, name, unitPrice, unitAmount, quantity}]
  items           jsonb not null,
  -- {name?, email?, phone?}
  customer        jsonb not null default '{}'::jsonb,
  note            text,
  conversation_id text,
  channel         text check (channel in ('web', 'whatsapp', 'messenger')),
  created_at      timestamptz not null,
  expires_at      timestamptz,
  paid_order_id   uuid,
  paid_at         timestamptz
);

-- Status ranks: creating (before Stripe answered) < pending (session open) < processing
-- (completed, delayed payment) < expired | failed < paid | review (money received; review =
-- amount mismatch or a quote already paid). A transition happens only to a higher rank.
create table if not exists public.app_checkout_order (
  id                   uuid primary key default gen_random_uuid(),
  -- cart hash + time bucket while a double click may reuse this order; null once it is final
  reuse_key            text unique,
  cart_hash            text not null,
  status               text not null default 'creating'
                       check (status in ('creating', 'pending', 'processing', 'expired', 'failed', 'paid', 'review')),
  session_id           text unique,
  url                  text,
  currency             text not null,
  amount_total         bigint not null check (amount_total > 0),
  -- [{productId|null, name, unitAmount, quantity}]
  items                jsonb not null,
  -- what the shopper entered (chat or Stripe's form); never returned by the status endpoint
  email                text,
  conversation_id      text,
  channel              text check (channel in ('web', 'whatsapp', 'messenger')),
  quote_id             text references public.app_quote (id),
  anomaly              text,
  paid_amount          bigint,
  paid_currency        text,
  history              jsonb not null default '[]'::jsonb,
  followup_state       text not null default 'none' check (followup_state in ('none', 'pending', 'done')),
  followup_done        text[] not null default '{}',
  followup_lease_until timestamptz,
  followup_attempts    integer not null default 0,
  last_error           text,
  created_at           timestamptz not null,
  expires_at           timestamptz not null,
  updated_at           timestamptz not null,
  paid_at              timestamptz
);
create index if not exists app_checkout_order_quote_idx on public.app_checkout_order (quote_id);
create index if not exists app_checkout_order_conversation_idx on public.app_checkout_order (conversation_id);
create index if not exists app_checkout_order_followup_idx on public.app_checkout_order (followup_lease_until)
  where followup_state = 'pending';

-- Stripe events, each claimed once by its id (retries and parallel duplicates do nothing twice).
create table if not exists public.app_stripe_event (
  id          text primary key,
  type        text not null,
  session_id  text,
  result      text not null default 'received',
  received_at timestamptz not null
);
create index if not exists app_stripe_event_received_idx on public.app_stripe_event (received_at);

create or replace function public.checkout_status_rank(p_status text) returns integer
language sql immutable as $$
  select case p_status
    when 'creating' then 0 when 'pending' then 1 when 'processing' then 2
    when 'expired' then 3 when 'failed' then 3
    when 'paid' then 4 when 'review' then 4
    else -1 end
$$;

-- An order as lib/checkout sees it (internal: includes the email).
create or replace function public.checkout_order_json(o public.app_checkout_order) returns jsonb
language sql stable as $$
  select jsonb_build_object(
    'id', o.id, 'status', o.status, 'sessionId', o.session_id, 'url', o.url,
    'currency', o.currency, 'amountTotal', o.amount_total, 'items', o.items, 'email', o.email,
    'conversationId', o.conversation_id, 'channel', o.channel, 'quoteId', o.quote_id,
    'anomaly', o.anomaly, 'paidAmount', o.paid_amount, 'paidCurrency', o.paid_currency,
    'history', o.history, 'followupState', o.followup_state, 'followupDone', to_jsonb(o.followup_done),
    'createdAt', o.created_at, 'expiresAt', o.expires_at, 'paidAt', o.paid_at)
$$;

-- Takes the order of a cart for the current time bucket: a new one, or the one a double click
-- (same cart hash, same bucket) already made. The Stripe expiry is derived from the bucket so
-- both clicks send identical parameters: within [now + expiry + 2 min, now + expiry + bucket
-- + 2 min] (the 2 minutes absorb clock skew against Stripe's 30-minute minimum), capped below
-- Stripe's 24 h. -> {id, status, sessionId, url, expiresAt (unix seconds), created}
create or replace function public.checkout_begin(p_cart_hash text, p_bucket_seconds integer, p_expiry_seconds integer,
  p_currency text, p_amount_total bigint, p_items jsonb, p_email text default null,
  p_conversation_id text default null, p_channel text default null, p_quote_id text default null)
returns jsonb language plpgsql volatile as $$
declare
  t timestamptz := public.app_now();
  b bigint := floor(extract(epoch from t) / p_bucket_seconds)::bigint;
  b_start timestamptz := to_timestamp(b * p_bucket_seconds);
  v_expires timestamptz := least(b_start + make_interval(secs => p_bucket_seconds + p_expiry_seconds + 120),
                                 b_start + interval '23 hours 55 minutes');
  v_key text := p_cart_hash || ':' || b;
  o public.app_checkout_order;
  v_created boolean := false;
begin
  for i in 1..3 loop
    insert into public.app_checkout_order (reuse_key, cart_hash, currency, amount_total, items, email,
      conversation_id, channel, quote_id, created_at, expires_at, updated_at)
    values (v_key, p_cart_hash, lower(p_currency), p_amount_total, p_items, nullif(p_email, ''),
      nullif(p_conversation_id, ''), p_channel, p_quote_id, t, v_expires, t)
    on conflict (reuse_key) do nothing
    returning * into o;
    if found then
      v_created := true;
      exit;
    end if;
    select * into o from public.app_checkout_order where reuse_key = v_key;
    exit when found;
  end loop;
  if o.id is null then
    raise exception 'checkout_begin: could not take an order for this cart';
  end if;
  return jsonb_build_object('id', o.id, 'status', o.status, 'sessionId', o.session_id, 'url', o.url,
    'expiresAt', floor(extract(epoch from o.expires_at))::bigint, 'created', v_created);
end
$$;

-- Records the Stripe session of an order: creating -> pending. A second call with the same
-- session (a double click) changes nothing. -> the order json (its recorded session wins)
create or replace function public.checkout_attach_session(p_order_id uuid, p_session_id text, p_url text)
returns jsonb language plpgsql volatile as $$
declare
  t timestamptz := public.app_now();
  o public.app_checkout_order;
begin
  update public.app_checkout_order set
    session_id = p_session_id,
    url = p_url,
    status = case when status = 'creating' then 'pending' else status end,
    history = case when status = 'creating'
      then history || jsonb_build_array(jsonb_build_object('at', t, 'from', 'creating', 'to', 'pending'))
      else history end,
    last_error = null,
    updated_at = t
  where id = p_order_id and session_id is null;
  select * into o from public.app_checkout_order where id = p_order_id;
  return case when o.id is null then null else public.checkout_order_json(o) end;
end
$$;

-- Stripe refused or failed: the next attempt must not reuse this order's idempotency key.
create or replace function public.checkout_abandon(p_order_id uuid, p_error text) returns void
language sql volatile as $$
  update public.app_checkout_order set reuse_key = null, last_error = left(p_error, 500), updated_at = public.app_now()
  where id = p_order_id and session_id is null
$$;

-- What GET /api/checkout?session_id= shows: no personal data. -> json or null
create or replace function public.checkout_order_status(p_session_id text) returns jsonb
language sql stable as $$
  select jsonb_build_object(
    'sessionId', o.session_id,
    'status', o.status,
    'currency', o.currency,
    'amountTotal', o.amount_total,
    'items', coalesce((select jsonb_agg(jsonb_build_object('name', i ->> 'name', 'quantity', (i ->> 'quantity')::integer))
                       from jsonb_array_elements(o.items) i), '[]'::jsonb),
    'channel', o.channel,
    'paidAt', o.paid_at,
    'expiresAt', o.expires_at)
  from public.app_checkout_order o where o.session_id = p_session_id
$$;

-- One order by id (internal json) or null.
create or replace function public.checkout_order_get(p_order_id uuid) returns jsonb
language sql stable as $$
  select public.checkout_order_json(o) from public.app_checkout_order o where o.id = p_order_id
$$;

-- Applies one verified Stripe event, once per event id, in one transaction: claims the id,
-- moves the order forward only (never back: 'expired' after 'paid' stays 'paid'), checks the
-- paid amount and currency against the order, marks its quote paid at most once, and gives the
-- caller a lease on the order's follow-ups when it became paid (or 'review').
-- p_target: paid | processing | expired | failed | ignored
-- -> {claimed, found, changed, status, anomaly, followup, order}
create or replace function public.checkout_apply_event(p_event_id text, p_type text, p_session_id text, p_target text,
  p_amount_total bigint default null, p_currency text default null, p_email text default null,
  p_lease_seconds integer default 300)
returns jsonb language plpgsql volatile as $$
declare
  t timestamptz := public.app_now();
  o public.app_checkout_order;
  v_target text := p_target;
  v_anomaly text;
  v_from text;
  v_final boolean;
begin
  insert into public.app_stripe_event (id, type, session_id, received_at)
  values (p_event_id, p_type, p_session_id, t)
  on conflict (id) do nothing;
  if not found then
    select * into o from public.app_checkout_order where session_id = p_session_id;
    return jsonb_build_object('claimed', false, 'found', o.id is not null, 'changed', false, 'status', o.status,
      'followup', false, 'order', case when o.id is null then null else public.checkout_order_json(o) end);
  end if;

  if v_target = 'ignored' or p_session_id is null then
    update public.app_stripe_event set result = 'ignored' where id = p_event_id;
    return jsonb_build_object('claimed', true, 'found', false, 'changed', false, 'followup', false);
  end if;

  select * into o from public.app_checkout_order where session_id = p_session_id for update;
  if not found then
    update public.app_stripe_event set result = 'unknown_session' where id = p_event_id;
    return jsonb_build_object('claimed', true, 'found', false, 'changed', false, 'followup', false);
  end if;
  v_from := o.status;

  if v_target = 'paid' and (p_amount_total is distinct from o.amount_total or lower(coalesce(p_currency, '')) <> o.currency) then
    v_target := 'review';
    v_anomaly := format('amount_mismatch: expected %s %s, received %s %s', o.amount_total, o.currency,
      coalesce(p_amount_total::text, '?'), coalesce(lower(p_currency), '?'));
  end if;

  if public.checkout_status_rank(v_target) <= public.checkout_status_rank(o.status) then
    update public.app_stripe_event set result = 'stale:' || o.status where id = p_event_id;
    return jsonb_build_object('claimed', true, 'found', true, 'changed', false, 'status', o.status,
      'followup', false, 'order', public.checkout_order_json(o));
  end if;

  if v_target = 'paid' and o.quote_id is not null then
    update public.app_quote set status = 'paid', paid_order_id = o.id, paid_at = t
    where id = o.quote_id and status = 'open';
    if not found then
      v_target := 'review';
      v_anomaly := 'quote_already_paid';
    end if;
  end if;

  v_final := public.checkout_status_rank(v_target) >= 3;
  update public.app_checkout_order set
    status = v_target,
    anomaly = coalesce(v_anomaly, anomaly),
    paid_amount = case when v_target in ('paid', 'review') then p_amount_total else paid_amount end,
    paid_currency = case when v_target in ('paid', 'review') then lower(p_currency) else paid_currency end,
    paid_at = case when v_target in ('paid', 'review') then t else paid_at end,
    email = coalesce(nullif(p_email, ''), email),
    reuse_key = case when v_final then null else reuse_key end,
    followup_state = case when v_target in ('paid', 'review') then 'pending' else followup_state end,
    followup_lease_until = case when v_target in ('paid', 'review') then t + make_interval(secs => p_lease_seconds) else followup_lease_until end,
    followup_attempts = case when v_target in ('paid', 'review') then followup_attempts + 1 else followup_attempts end,
    history = history || jsonb_build_array(jsonb_strip_nulls(jsonb_build_object(
      'at', t, 'from', v_from, 'to', v_target, 'event', p_event_id, 'type', p_type, 'anomaly', v_anomaly))),
    updated_at = t
  where id = o.id
  returning * into o;
  update public.app_stripe_event set result = 'applied:' || v_target where id = p_event_id;
  return jsonb_build_object('claimed', true, 'found', true, 'changed', true, 'status', o.status,
    'anomaly', v_anomaly, 'followup', v_target in ('paid', 'review'), 'order', public.checkout_order_json(o));
end
$$;

-- Ends a follow-up run: records the hooks done; complete -> 'done', else the lease moves to
-- now + p_retry_seconds so the retry job takes it then.
create or replace function public.checkout_followup_finish(p_order_id uuid, p_done text[], p_complete boolean,
  p_retry_seconds integer default 600)
returns void language sql volatile as $$
  update public.app_checkout_order set
    followup_done = array(select distinct x from unnest(followup_done || coalesce(p_done, '{}')) x order by x),
    followup_state = case when p_complete then 'done' else 'pending' end,
    followup_lease_until = case when p_complete then null else public.app_now() + make_interval(secs => p_retry_seconds) end,
    updated_at = public.app_now()
  where id = p_order_id and followup_state = 'pending'
$$;

-- The retry job: takes up to p_limit orders whose follow-ups are due (lease over), each with a
-- new lease. -> json array of orders
create or replace function public.checkout_followup_claim(p_limit integer, p_lease_seconds integer, p_max_attempts integer default 10)
returns jsonb language sql volatile as $$
  with due as (
    select id from public.app_checkout_order
    where followup_state = 'pending' and followup_lease_until <= public.app_now() and followup_attempts < p_max_attempts
    order by followup_lease_until
    limit p_limit
    for update skip locked
  ), taken as (
    update public.app_checkout_order o set
      followup_lease_until = public.app_now() + make_interval(secs => p_lease_seconds),
      followup_attempts = o.followup_attempts + 1
    from due where o.id = due.id
    returning o
  )
  select coalesce(jsonb_agg(public.checkout_order_json(taken.o)), '[]'::jsonb) from taken
$$;

-- Stores a quote. Expiry (optional) from the database clock. -> the quote json
create or replace function public.quote_json(q public.app_quote) returns jsonb
language sql stable as $$
  select jsonb_build_object('id', q.id,
    'status', case when q.status = 'open' and q.expires_at is not null and q.expires_at <= public.app_now() then 'expired' else q.status end,
    'currency', q.currency, 'amountTotal', q.amount_total, 'items', q.items, 'customer', q.customer, 'note', q.note,
    'conversationId', q.conversation_id, 'channel', q.channel, 'createdAt', q.created_at, 'expiresAt', q.expires_at,
    'paidOrderId', q.paid_order_id, 'paidAt', q.paid_at)
$$;

create or replace function public.quote_create(p_id text, p_currency text, p_amount_total bigint, p_items jsonb,
  p_customer jsonb default '{}'::jsonb, p_note text default null, p_conversation_id text default null,
  p_channel text default null, p_expires_in_seconds integer default null)
returns jsonb language plpgsql volatile as $$
declare
  t timestamptz := public.app_now();
  q public.app_quote;
begin
  insert into public.app_quote (id, currency, amount_total, items, customer, note, conversation_id, channel, created_at, expires_at)
  values (p_id, lower(p_currency), p_amount_total, p_items, coalesce(p_customer, '{}'::jsonb), p_note,
    nullif(p_conversation_id, ''), p_channel, t,
    case when p_expires_in_seconds is null then null else t + make_interval(secs => p_expires_in_seconds) end)
  returning * into q;
  return public.quote_json(q);
end
$$;

-- A quote with its effective status (open | paid | expired | cancelled), or null.
create or replace function public.quote_get(p_id text) returns jsonb
language sql stable as $$
  select public.quote_json(q) from public.app_quote q where q.id = p_id
$$;

-- Old Stripe event claims (Stripe retries for 3 days) and orders abandoned before Stripe answered.
create or replace function public.checkout_cleanup(p_keep_days integer default 30) returns jsonb
language plpgsql volatile as $$
declare n_events integer; n_orders integer;
begin
  delete from public.app_stripe_event where received_at < public.app_now() - make_interval(days => p_keep_days);
  get diagnostics n_events = row_count;
  delete from public.app_checkout_order
  where status = 'creating' and session_id is null and created_at < public.app_now() - interval '2 days';
  get diagnostics n_orders = row_count;
  return jsonb_build_object('stripe_events', n_events, 'abandoned_orders', n_orders);
end
$$;

select public.comptoir_lock_down();
