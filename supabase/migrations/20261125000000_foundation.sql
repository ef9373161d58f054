-- Foundation: roles shim, fake-able clock, lock-down helper, dedup keys, rate-limit windows,
-- the product/response cache, and the cleanup of expired rows.
-- Every function takes p_* named parameters and returns jsonb, boolean or nothing.

-- Roles shim: Supabase has these roles; plain Postgres and PGlite do not.
do $$
begin
  if not exists (select 1 from pg_roles where rolname = 'anon') then create role anon nologin; end if;
  if not exists (select 1 from pg_roles where rolname = 'authenticated') then create role authenticated nologin; end if;
  if not exists (select 1 from pg_roles where rolname = 'service_role') then create role service_role nologin bypassrls; end if;
end
$$;

-- Time comes from the database. Tests may pin it per session with
-- select set_config('comptoir.now', '2026-01-01T00:00:00Z', false);
create or replace function public.app_now() returns timestamptz
language sql stable as $$
  select coalesce(nullif(current_setting('comptoir.now', true), '')::timestamptz, now())
$$;

-- Every migration ends with `: RLS on every table (no
-- policies: the anonymous key sees nothing), and functions executable by service_role only.
create or replace function public.comptoir_lock_down() returns void
language plpgsql as $$
declare r record;
begin
  for r in select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
           where n.nspname = 'public' and c.relkind in ('r', 'p')
             and not exists (select 1 from pg_depend d where d.objid = c.oid and d.deptype = 'e') loop
    execute format('alter table public.%I enable row level security', r.relname);
    execute format('revoke all on table public.%I from public, anon, authenticated', r.relname);
    execute format('grant all on table public.%I to service_role', r.relname);
  end loop;
  for r in select p.oid::regprocedure as sig from pg_proc p join pg_namespace n on n.oid = p.pronamespace
           where n.nspname = 'public'
             and not exists (select 1 from pg_depend d where d.objid = p.oid and d.deptype = 'e') loop
    execute format('revoke all on function %s from public, anon, authenticated', r.sig);
    execute format('grant execute on function %s to service_role', r.sig);
  end loop;
end
$$;

-- Dedup keys (webhook message ids, notification keys, ...), each live until expires_at.
create table if not exists public.app_dedup (
  key        text primary key,
  claimed_at timestamptz not null,
  expires_at timestamptz not null
);
create index if not exists app_dedup_expires_idx on public.app_dedup (expires_at);

-- True for exactly one caller per live key; an expired key can be claimed again.
create or replace function public.dedup_claim(p_key text, p_ttl_seconds integer) returns boolean
language sql volatile as $$
  with claimed as (
    insert into public.app_dedup as d (key, claimed_at, expires_at)
    values (p_key, public.app_now(), public.app_now() + make_interval(secs => p_ttl_seconds))
    on conflict (key) do update
      set claimed_at = excluded.claimed_at, expires_at = excluded.expires_at
      where d.expires_at <= public.app_now()
    returning 1
  )
  select exists (select 1 from claimed)
$$;

-- Gives a key back (a send failed after its claim): the next attempt may claim it.
create or replace function public.dedup_release(p_key text) returns void
language sql volatile as $$
  delete from public.app_dedup where key = p_key
$$;

-- Fixed-window rate limits, one row per key.
create table if not exists public.app_rate_limit (
  key          text primary key,
  window_start timestamptz not null,
  window_end   timestamptz not null,
  hits         integer not null
);
create index if not exists app_rate_limit_end_idx on public.app_rate_limit (window_end);

-- Counts one hit; {allowed, remaining, reset_at, retry_after_seconds}. Atomic per key.
create or replace function public.rate_limit_hit(p_key text, p_limit integer, p_window_seconds integer) returns jsonb
language sql volatile as $$
  with hit as (
    insert into public.app_rate_limit as r (key, window_start, window_end, hits)
    values (p_key, public.app_now(), public.app_now() + make_interval(secs => p_window_seconds), 1)
    on conflict (key) do update set
      window_start = case when r.window_end <= public.app_now() then excluded.window_start else r.window_start end,
      window_end   = case when r.window_end <= public.app_now() then excluded.window_end else r.window_end end,
      hits         = case when r.window_end <= public.app_now() then 1 else r.hits + 1 end
    returning hits, window_end
  )
  select jsonb_build_object(
    'allowed', hits <= p_limit,
    'remaining', greatest(p_limit - hits, 0),
    'reset_at', window_end,
    'retry_after_seconds', greatest(ceil(extract(epoch from window_end - public.app_now())), 1)::integer)
  from hit
$$;

-- Cache of outside answers (the original app_product_cache), with a TTL.
create table if not exists public.app_cache (
  key        text primary key,
  value      jsonb not null,
  expires_at timestamptz not null
);
create index if not exists app_cache_expires_idx on public.app_cache (expires_at);

create or replace function public.cache_get(p_key text) returns jsonb
language sql stable as $$
  select value from public.app_cache where key = p_key and expires_at > public.app_now()
$$;

create or replace function public.cache_put(p_key text, p_value jsonb, p_ttl_seconds integer) returns void
language sql volatile as $$
  insert into public.app_cache (key, value, expires_at)
  values (p_key, p_value, public.app_now() + make_interval(secs => p_ttl_seconds))
  on conflict (key) do update set value = excluded.value, expires_at = excluded.expires_at
$$;

-- Deletes expired dedup keys, rate-limit windows and cache entries; returns the counts.
create or replace function public.cleanup_expired() returns jsonb
language plpgsql volatile as $$
declare n_dedup integer; n_rate integer; n_cache integer;
begin
  delete from public.app_dedup where expires_at <= public.app_now();
  get diagnostics n_dedup = row_count;
  delete from public.app_rate_limit where window_end <= public.app_now();
  get diagnostics n_rate = row_count;
  delete from public.app_cache where expires_at <= public.app_now();
  get diagnostics n_cache = row_count;
  return jsonb_build_object('dedup', n_dedup, 'rate_limit', n_rate, 'cache', n_cache);
end
$$;

select public.comptoir_lock_down();

-- Applied migrations (the runner in lib/store/migrate.ts also creates it; the Supabase CLI keeps
-- its own history, so there this table stays empty).
create table if not exists public.comptoir_migrations (
  version text primary key, name text not null, checksum text not null, applied_at timestamptz not null default now());

-- What GET /api/health shows of the database, in one round trip. Later migrations extend it.
create or replace function public.health_snapshot() returns jsonb
language sql stable as $$
  select jsonb_build_object(
    'db_time', public.app_now(),
    'migrations', (select count(*) from public.comptoir_migrations))
$$;

select public.comptoir_lock_down();
