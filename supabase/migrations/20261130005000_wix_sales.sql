-- The Wix sales loop (issue 19): checkouts by provider (Wix hosted checkout or Stripe), the
-- offer's discount on a Stripe session, a short human order number, the Stripe payment id, the
-- exactly-once recording of Stripe-paid orders in Wix (claimed here, retried by the cron), and
-- the lookups behind order status in chat.

-- Orders: which provider took the checkout (for 'wix', session_id holds the Wix checkout id
-- and url its hosted page), the discount applied by us (Stripe) in minor units, the coupon
-- (offer id, code, applied?), the Stripe payment id, and a short number shoppers can quote.
create sequence if not exists public.app_checkout_order_number_seq start with 1001;
alter table public.app_checkout_order add column if not exists provider text not null default 'stripe';
alter table public.app_checkout_order drop constraint if exists app_checkout_order_provider_check;
alter table public.app_checkout_order add constraint app_checkout_order_provider_check check (provider in ('stripe', 'wix'));
alter table public.app_checkout_order add column if not exists discount_amount bigint not null default 0;
alter table public.app_checkout_order add column if not exists coupon jsonb;
alter table public.app_checkout_order add column if not exists payment_id text;
alter table public.app_checkout_order add column if not exists number bigint default nextval('public.app_checkout_order_number_seq');
create unique index if not exists app_checkout_order_number_idx on public.app_checkout_order (number);
create index if not exists app_checkout_order_payment_idx on public.app_checkout_order (payment_id) where payment_id is not null;

-- The internal order json, with the columns above (same keys as before, plus new ones).
create or replace function public.checkout_order_json(o public.app_checkout_order) returns jsonb
language sql stable as $$
  select jsonb_build_object(
    'id', o.id, 'status', o.status, 'sessionId', o.session_id, 'url', o.url,
    'currency', o.currency, 'amountTotal', o.amount_total, 'items', o.items, 'email', o.email,
    'conversationId', o.conversation_id, 'channel', o.channel, 'quoteId', o.quote_id,
    'anomaly', o.anomaly, 'paidAmount', o.paid_amount, 'paidCurrency', o.paid_currency,
    'history', o.history, 'followupState', o.followup_state, 'followupDone', to_jsonb(o.followup_done),
    'createdAt', o.created_at, 'expiresAt', o.expires_at, 'paidAt', o.paid_at,
    'provider', o.provider, 'discountAmount', o.discount_amount, 'coupon', o.coupon,
    'paymentId', o.payment_id, 'number', o.number::text)
$$;

-- What GET /api/checkout?session_id= shows, now with the order number the shopper quotes in
-- chat (still no personal data). -> json or null
create or replace function public.checkout_order_status(p_session_id text) returns jsonb
language sql stable as $$
  select jsonb_build_object(
    'sessionId', o.session_id,
    'number', o.number::text,
    'status', o.status,
    'currency', o.currency,
    'amountTotal', o.amount_total,
    'items', coalesce((select jsonb_agg(jsonb_build_object('name', i ->> 'name', 'quantity', (i ->> 'quantity')::integer))
                       from jsonb_array_elements(o.items) i), '[]'::jsonb),
    'channel', o.channel,
    'paidAt', o.paid_at,
    'expiresAt', o.expires_at)
  from public.app_checkout_order o where o.session_id = p_session_id and o.provider = 'stripe'
$$;

-- checkout_begin plus the provider, the discount and the coupon of a new order, in the same
-- round trip. A reused order (double click) keeps what it was created with.
-- -> checkout_begin's json plus {number}
create or replace function public.checkout_begin_for(p_provider text, p_cart_hash text, p_bucket_seconds integer,
  p_expiry_seconds integer, p_currency text, p_amount_total bigint, p_items jsonb, p_email text default null,
  p_conversation_id text default null, p_channel text default null, p_quote_id text default null,
  p_discount_amount bigint default 0, p_coupon jsonb default null)
returns jsonb language plpgsql volatile as $$
declare
  r jsonb;
  v_number bigint;
begin
  r := public.checkout_begin(p_cart_hash, p_bucket_seconds, p_expiry_seconds, p_currency, p_amount_total, p_items,
    p_email, p_conversation_id, p_channel, p_quote_id);
  if (r ->> 'created')::boolean then
    update public.app_checkout_order set provider = p_provider, discount_amount = coalesce(p_discount_amount, 0), coupon = p_coupon
    where id = (r ->> 'id')::uuid
    returning number into v_number;
  else
    select number into v_number from public.app_checkout_order where id = (r ->> 'id')::uuid;
  end if;
  return r || jsonb_build_object('number', v_number::text);
end
$$;

-- The Stripe payment (PaymentIntent) id of a paid session; set once.
create or replace function public.checkout_record_payment(p_session_id text, p_payment_id text) returns void
language sql volatile as $$
  update public.app_checkout_order set payment_id = p_payment_id, updated_at = public.app_now()
  where session_id = p_session_id and payment_id is null and nullif(p_payment_id, '') is not null
$$;

-- The conversation's live coupon offer, if any, for a checkout: the latest one not expired
-- (offered or redeemed; a redeemed one with its coupon, unless the coupon expired).
-- -> {id, type, value, status, coupon} or null
create or replace function public.coupon_offer_for_checkout(p_conversation_id text) returns jsonb
language sql stable as $$
  select jsonb_build_object('id', o.id, 'type', o.type, 'value', o.value, 'status', o.status, 'coupon', o.coupon)
  from public.app_coupon_offer o
  where o.conversation_id = p_conversation_id and o.source = 'assistant'
    and (case when o.status = 'redeemed'
           then coalesce((o.coupon ->> 'expiresAt')::timestamptz, o.expires_at) > public.app_now()
           else o.expires_at > public.app_now() end)
  order by o.created_at desc
  limit 1
$$;

-- Recording Stripe-paid orders in Wix (Create Order, then Add Payments), exactly once per
-- order: one row per order, a lease per attempt, 'created' remembers the Wix order between
-- the two calls so a retry never creates a second one.
create table if not exists public.app_wix_order_sync (
  order_id         uuid primary key references public.app_checkout_order (id) on delete cascade,
  state            text not null default 'pending' check (state in ('pending', 'created', 'done', 'failed')),
  wix_order_id     text,
  wix_order_number text,
  attempts         integer not null default 0,
  lease_token      uuid,
  lease_until      timestamptz,
  last_error       text,
  created_at       timestamptz not null,
  updated_at       timestamptz not null
);
create index if not exists app_wix_order_sync_due_idx on public.app_wix_order_sync (lease_until) where state in ('pending', 'created');

-- Takes the lease of one order's sync (p_order_id: enqueued first if new, and only if the
-- order is paid) or of up to p_limit due ones (p_order_id null: the cron). A row whose lease is
-- live, that is done, or that ran out of attempts is not taken.
-- -> [{token, state, wixOrderId, wixOrderNumber, attempts, order}]
create or replace function public.wix_order_sync_claim(p_order_id uuid default null, p_limit integer default 20,
  p_lease_seconds integer default 120, p_max_attempts integer default 10)
returns jsonb language plpgsql volatile as $$
declare
  t timestamptz := public.app_now();
  out jsonb;
begin
  if p_order_id is not null then
    insert into public.app_wix_order_sync (order_id, created_at, updated_at)
    select o.id, t, t from public.app_checkout_order o where o.id = p_order_id and o.status = 'paid'
    on conflict (order_id) do nothing;
  end if;
  with due as (
    select s.order_id from public.app_wix_order_sync s
    where s.state in ('pending', 'created') and (s.lease_until is null or s.lease_until <= t)
      and s.attempts < p_max_attempts and (p_order_id is null or s.order_id = p_order_id)
    order by s.lease_until nulls first
    limit case when p_order_id is null then p_limit else 1 end
    for update skip locked
  ), taken as (
    update public.app_wix_order_sync s set lease_token = gen_random_uuid(), lease_until = t + make_interval(secs => p_lease_seconds),
      attempts = s.attempts + 1, updated_at = t
    from due where s.order_id = due.order_id
    returning s.*
  )
  select coalesce(jsonb_agg(jsonb_build_object('token', taken.lease_token, 'state', taken.state,
      'wixOrderId', taken.wix_order_id, 'wixOrderNumber', taken.wix_order_number, 'attempts', taken.attempts,
      'order', public.checkout_order_json(o))), '[]'::jsonb)
  into out
  from taken join public.app_checkout_order o on o.id = taken.order_id;
  return out;
end
$$;

-- Records a step of the lease holder: 'created' (with the Wix order), 'done', or an error
-- (state unchanged, retried after p_retry_seconds; 'failed' for good when p_final).
-- -> true when the caller held the lease
create or replace function public.wix_order_sync_step(p_order_id uuid, p_token uuid, p_state text,
  p_wix_order_id text default null, p_wix_order_number text default null, p_error text default null,
  p_retry_seconds integer default 600)
returns boolean language plpgsql volatile as $$
declare
  t timestamptz := public.app_now();
begin
  update public.app_wix_order_sync set
    state = p_state,
    wix_order_id = coalesce(p_wix_order_id, wix_order_id),
    wix_order_number = coalesce(p_wix_order_number, wix_order_number),
    last_error = case when p_error is null then last_error else left(p_error, 500) end,
    lease_token = case when p_state = 'created' and p_error is null then lease_token else null end,
    lease_until = case when p_state in ('done', 'failed') then null
                       when p_error is not null then t + make_interval(secs => p_retry_seconds)
                       else lease_until end,
    updated_at = t
  where order_id = p_order_id and lease_token = p_token;
  return found;
end
$$;

-- The sync state of an order (tests, the owner's views). -> json or null
create or replace function public.wix_order_sync_get(p_order_id uuid) returns jsonb
language sql stable as $$
  select jsonb_build_object('state', s.state, 'wixOrderId', s.wix_order_id, 'wixOrderNumber', s.wix_order_number,
    'attempts', s.attempts, 'lastError', s.last_error)
  from public.app_wix_order_sync s where s.order_id = p_order_id
$$;

-- Order status in chat, local orders (demo shop, Stripe): one order by its number, with what
-- the caller needs to check who asks (email, the channel identity of its conversation) and the
-- Wix order it was recorded as. Only paid or final orders have a status worth telling.
-- -> json or null
create or replace function public.order_status_by_number(p_number bigint) returns jsonb
language sql stable as $$
  select jsonb_build_object(
    'number', o.number::text, 'status', o.status, 'provider', o.provider, 'email', o.email,
    'currency', o.currency, 'amountTotal', o.amount_total, 'discountAmount', o.discount_amount,
    'items', coalesce((select jsonb_agg(jsonb_build_object('name', i ->> 'name', 'quantity', (i ->> 'quantity')::integer))
                       from jsonb_array_elements(o.items) i), '[]'::jsonb),
    'createdAt', o.created_at, 'paidAt', o.paid_at,
    'channel', c.channel, 'userKey', c.user_key,
    'wixOrderId', s.wix_order_id, 'wixOrderNumber', s.wix_order_number)
  from public.app_checkout_order o
  left join public.chat_conversation c on c.id::text = o.conversation_id
  left join public.app_wix_order_sync s on s.order_id = o.id
  where o.number = p_number and o.provider = 'stripe' and o.status not in ('creating')
$$;

-- The channel identity and email behind a Wix order we started (its checkout id for the Wix
-- hosted checkout, or the Stripe payment id recorded as its externalOrderId). -> json or null
create or replace function public.order_identity_for_wix(p_checkout_id text default null, p_payment_id text default null)
returns jsonb language sql stable as $$
  select jsonb_build_object('email', o.email, 'channel', c.channel, 'userKey', c.user_key)
  from public.app_checkout_order o
  left join public.chat_conversation c on c.id::text = o.conversation_id
  where (p_checkout_id is not null and o.provider = 'wix' and o.session_id = p_checkout_id)
     or (p_payment_id is not null and o.payment_id = p_payment_id)
  order by o.created_at desc
  limit 1
$$;

select public.comptoir_lock_down();
