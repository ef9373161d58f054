-- Sequences are locked down too. Supabase's default privileges grant every new sequence in
-- `public` to anon and authenticated, so the browser's key could `setval` an identity sequence
-- (and push ids around). Revoke them on every existing sequence, stop the default grant for
-- sequences the migrating role creates from now on, and extend comptoir_lock_down() (run at the
-- end of every migration) so later migrations' sequences are covered as well.

alter default privileges in schema public revoke all on sequences from public, anon, authenticated;

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
  -- Sequences (identity columns' included): only service_role may read or move them.
  for r in select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
           where n.nspname = 'public' and c.relkind = 'S'
             and not exists (select 1 from pg_depend d where d.objid = c.oid and d.deptype = 'e') loop
    execute format('revoke all on sequence public.%I from public, anon, authenticated', r.relname);
    execute format('grant all on sequence public.%I to service_role', r.relname);
  end loop;
  for r in select p.oid::regprocedure as sig from pg_proc p join pg_namespace n on n.oid = p.pronamespace
           where n.nspname = 'public'
             and not exists (select 1 from pg_depend d where d.objid = p.oid and d.deptype = 'e') loop
    execute format('revoke all on function %s from public, anon, authenticated', r.sig);
    execute format('grant execute on function %s to service_role', r.sig);
  end loop;
end
$$;

select public.comptoir_lock_down();
