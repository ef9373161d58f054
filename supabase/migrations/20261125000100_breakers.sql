-- Circuit breakers shared by every instance. State changes only here, atomically.
--   closed    -> open       after p_threshold consecutive failures
--   open      -> half_open  when the cool-down has passed: exactly one caller gets a probe lease
--   half_open -> closed     the probe succeeded
--   half_open -> open       the probe failed (fresh cool-down), or the lease expired and a new
--                           probe is handed out (so a dead prober cannot wedge the breaker)
-- A healthy breaker costs one read per call. Once failures are being counted, each acquire
-- charges its attempt up front, so no more than the threshold attempts pass before it opens.

create table if not exists public.app_breaker (
  name         text primary key,
  state        text not null default 'closed' check (state in ('closed', 'open', 'half_open')),
  failures     integer not null default 0,
  opened_at    timestamptz,
  open_until   timestamptz,
  probe_token  uuid,
  probe_until  timestamptz,
  updated_at   timestamptz not null default now()
);

-- -> {decision: allow|probe|reject, retry_after_ms?, probe_token?, charged?}
create or replace function public.breaker_acquire(p_name text, p_threshold integer, p_open_ms integer, p_probe_lease_ms integer default 15000)
returns jsonb language plpgsql volatile as $$
declare
  b public.app_breaker;
  tok uuid;
  n integer;
  t timestamptz := public.app_now();
begin
  select * into b from public.app_breaker where name = p_name;
  if not found or (b.state = 'closed' and b.failures = 0) then
    return jsonb_build_object('decision', 'allow', 'charged', false);
  end if;

  if b.state = 'closed' then
    -- Failures are being counted: charge this attempt now (a success resets the count).
    update public.app_breaker set
      failures = failures + 1,
      state = case when failures + 1 >= p_threshold then 'open' else 'closed' end,
      opened_at = case when failures + 1 >= p_threshold then t else opened_at end,
      open_until = case when failures + 1 >= p_threshold then t + make_interval(secs => p_open_ms / 1000.0) else open_until end,
      updated_at = t
    where name = p_name and state = 'closed' and failures < p_threshold
    returning 1 into n;
    if found then
      return jsonb_build_object('decision', 'allow', 'charged', true);
    end if;
  else
    update public.app_breaker set
      state = 'half_open', probe_token = gen_random_uuid(),
      probe_until = t + make_interval(secs => p_probe_lease_ms / 1000.0), updated_at = t
    where name = p_name
      and ((state = 'open' and open_until <= t) or (state = 'half_open' and probe_until <= t))
    returning probe_token into tok;
    if tok is not null then
      return jsonb_build_object('decision', 'probe', 'probe_token', tok);
    end if;
  end if;

  select * into b from public.app_breaker where name = p_name;
  if b.state = 'closed' and b.failures < p_threshold then
    return jsonb_build_object('decision', 'allow', 'charged', false);
  end if;
  return jsonb_build_object('decision', 'reject', 'state', b.state, 'retry_after_ms',
    greatest(1, ceil(extract(epoch from (case when b.state = 'half_open' then b.probe_until else b.open_until end) - t) * 1000))::bigint);
end
$$;

-- Reports the outcome of an attempt. -> {state, failures, changed: true when the state moved}
create or replace function public.breaker_report(p_name text, p_success boolean, p_threshold integer, p_open_ms integer,
  p_probe_token uuid default null, p_charged boolean default false)
returns jsonb language plpgsql volatile as $$
declare
  before text;
  b public.app_breaker;
  t timestamptz := public.app_now();
begin
  select state into before from public.app_breaker where name = p_name;
  if p_probe_token is not null then
    update public.app_breaker set
      state = case when p_success then 'closed' else 'open' end,
      failures = case when p_success then 0 else failures + 1 end,
      opened_at = case when p_success then opened_at else t end,
      open_until = case when p_success then null else t + make_interval(secs => p_open_ms / 1000.0) end,
      probe_token = null, probe_until = null, updated_at = t
    where name = p_name and state = 'half_open' and probe_token = p_probe_token;
  elsif p_success then
    -- A success resets the count. A charged attempt's success also undoes the opening its own
    -- charge caused (the upstream answered), and closes the breaker.
    update public.app_breaker set failures = 0, state = 'closed', open_until = null,
      probe_token = null, probe_until = null, updated_at = t
    where name = p_name and (failures > 0 or state <> 'closed') and (p_charged or state = 'closed');
  elsif not p_charged then
    insert into public.app_breaker as r (name, state, failures, opened_at, open_until, updated_at)
    values (p_name, case when p_threshold <= 1 then 'open' else 'closed' end, 1,
      case when p_threshold <= 1 then t end,
      case when p_threshold <= 1 then t + make_interval(secs => p_open_ms / 1000.0) end, t)
    on conflict (name) do update set
      failures = r.failures + 1,
      state = case when r.failures + 1 >= p_threshold then 'open' else 'closed' end,
      opened_at = case when r.failures + 1 >= p_threshold then t else r.opened_at end,
      open_until = case when r.failures + 1 >= p_threshold then t + make_interval(secs => p_open_ms / 1000.0) else r.open_until end,
      updated_at = t
    where r.state = 'closed';
  end if;
  select * into b from public.app_breaker where name = p_name;
  if not found then
    return jsonb_build_object('state', 'closed', 'failures', 0, 'changed', false);
  end if;
  return jsonb_build_object('state', b.state, 'failures', b.failures, 'changed', coalesce(before, 'closed') <> b.state);
end
$$;

-- Every breaker's state for GET /api/health (no secrets).
create or replace function public.breaker_states() returns jsonb
language sql stable as $$
  select coalesce(jsonb_agg(jsonb_build_object(
    'name', name, 'state', state, 'failures', failures,
    'retry_after_ms', case
      when state = 'open' then greatest(0, ceil(extract(epoch from open_until - public.app_now()) * 1000))::bigint
      when state = 'half_open' then greatest(0, ceil(extract(epoch from probe_until - public.app_now()) * 1000))::bigint
      else 0 end) order by name), '[]'::jsonb)
  from public.app_breaker
$$;

create or replace function public.health_snapshot() returns jsonb
language sql stable as $$
  select jsonb_build_object(
    'db_time', public.app_now(),
    'migrations', (select count(*) from public.comptoir_migrations),
    'breakers', public.breaker_states())
$$;

select public.comptoir_lock_down();
