-- The worker is called only when it is asleep. Before, every acknowledgement called the worker
-- route (one more invocation and HTTP request per delivery, ~1 ms of the acknowledging
-- instance's CPU each): a worker that is draining takes the new job anyway.
--
--   channel_worker  one row: awake_until = a worker was called and drains until about then
--                   (null: asleep). The acknowledgement that queues jobs while the worker is
--                   asleep (or its time is up: an instance that died) sets it and is told to
--                   call the worker (`wake`); the others are not. A worker that finds the queue
--                   empty puts it back to sleep; one that takes jobs extends it.
--
-- No job is left behind: an acknowledgement holds a shared advisory lock from its insert until
-- it commits, and a worker going to sleep first takes the same lock exclusively, so it waits for
-- every acknowledgement in flight and then looks at the queue again (a new statement: a new
-- snapshot) before saying it is asleep. An acknowledgement that starts after that sees "asleep".

create table if not exists public.channel_worker (
  id           boolean primary key default true check (id),
  awake_until  timestamptz
);
insert into public.channel_worker (id) values (true) on conflict (id) do nothing;

-- The lock both functions take (any constant, unique in this schema): "the queue is changing".
create or replace function public.channel_queue_lock_key() returns bigint
language sql immutable as $$ select 7210431000001::bigint $$;

drop function if exists public.channel_ingest_queue(text, jsonb, jsonb, integer, integer);
create or replace function public.channel_ingest_queue(p_channel text, p_messages jsonb default '[]'::jsonb,
  p_statuses jsonb default '[]'::jsonb, p_lease_seconds integer default 300, p_polite_quiet_seconds integer default 600,
  p_wake_seconds integer default 60)
returns jsonb language plpgsql volatile as $$
declare
  t timestamptz := public.app_now();
  r jsonb;
  k integer;
  v_wake boolean := false;
begin
  perform pg_advisory_xact_lock_shared(public.channel_queue_lock_key());
  r := public.channel_ingest(p_channel, p_messages, p_statuses, p_lease_seconds, p_polite_quiet_seconds);
  insert into public.channel_job (channel, message_id, queued_at)
  select p_channel, c->>'message_id', t
    from jsonb_array_elements(r->'claimed') with ordinality as x(c, n)
   order by n
  on conflict (channel, message_id) do nothing;
  get diagnostics k = row_count;
  if k > 0 then
    -- Two acknowledgements racing: the second waits for the first's row lock, then sees it awake.
    update public.channel_worker w set awake_until = t + make_interval(secs => greatest(p_wake_seconds, 1))
     where w.id and (w.awake_until is null or w.awake_until <= t)
    returning true into v_wake;
  end if;
  return r || jsonb_build_object('queued', k, 'wake', coalesce(v_wake, false));
end
$$;

-- Takes up to p_limit jobs, oldest first, skipping jobs another worker holds; extends each
-- message's work lease to p_work_lease_seconds; keeps the worker awake p_wake_seconds more, or
-- puts it to sleep when nothing is left (see above).
-- -> {work: [{channel, message_id, user_id, action, message}] in queue order, taken, dropped, asleep}
drop function if exists public.channel_job_take(integer, integer);
create or replace function public.channel_job_take(p_limit integer, p_work_lease_seconds integer default 300,
  p_wake_seconds integer default 60)
returns jsonb language plpgsql volatile as $$
declare
  t timestamptz := public.app_now();
  v_work jsonb;
  v_taken integer;
  v_asleep boolean := false;
begin
  with picked as (
    select j.id from public.channel_job j
     order by j.id
     limit greatest(p_limit, 0)
     for update skip locked),
  taken as (
    delete from public.channel_job j using picked p where j.id = p.id
    returning j.id, j.channel, j.message_id),
  leased as (
    update public.channel_inbound i set lease_until = t + make_interval(secs => p_work_lease_seconds), updated_at = t
      from taken
     where i.channel = taken.channel and i.message_id = taken.message_id
       and i.status = 'working' and i.attempts = 1 and i.action <> 'ignore'
    returning taken.id, i.channel, i.message_id, i.user_id, i.action, i.message)
  select coalesce(jsonb_agg(jsonb_build_object('channel', l.channel, 'message_id', l.message_id, 'user_id', l.user_id,
                  'action', l.action, 'message', l.message) order by l.id), '[]'::jsonb),
         (select count(*) from taken)::integer
    into v_work, v_taken
    from leased l;

  if v_taken > 0 then
    update public.channel_worker w set awake_until = greatest(coalesce(w.awake_until, t), t + make_interval(secs => greatest(p_wake_seconds, 1)))
     where w.id;
  else
    -- Going to sleep: wait for the acknowledgements in flight, then look again. Jobs another
    -- worker holds (skip locked) are that worker's; it looks again after them.
    perform pg_advisory_xact_lock(public.channel_queue_lock_key());
    if not exists (select 1 from public.channel_job) then
      update public.channel_worker w set awake_until = null where w.id;
      v_asleep := true;
    end if;
  end if;
  return jsonb_build_object('work', v_work, 'taken', v_taken, 'dropped', v_taken - jsonb_array_length(v_work), 'asleep', v_asleep);
end
$$;

select public.comptoir_lock_down();
