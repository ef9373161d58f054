-- The webhook's deferred work as a queue: the acknowledgement claims the delivery's message ids
-- (channel_ingest) and queues one job per claimed message in the same round trip; the worker
-- route (POST /api/channel-worker, its own invocation) takes jobs with FOR UPDATE SKIP LOCKED,
-- so two workers never take the same job, and answers them. The cron job drains what is left.
--
--   channel_job   one row per claimed message whose answer has not started yet. Taking a job
--                 deletes it and extends the message's work lease (channel_inbound), in one
--                 statement; from there on the work row's status, lease and the retry job
--                 (channel_retry_claim) carry the message, as they did before the queue.
-- A job whose message was taken over by the retry job (attempts > 1) or already answered is
-- dropped when taken, so a message is answered once however the two race.

create table if not exists public.channel_job (
  id          bigserial primary key,
  channel     text not null,
  message_id  text not null,
  queued_at   timestamptz not null,
  unique (channel, message_id)
);

-- channel_ingest, then one job per claimed message; same arguments and result, plus `queued`.
create or replace function public.channel_ingest_queue(p_channel text, p_messages jsonb default '[]'::jsonb,
  p_statuses jsonb default '[]'::jsonb, p_lease_seconds integer default 300, p_polite_quiet_seconds integer default 600)
returns jsonb language plpgsql volatile as $$
declare
  r jsonb := public.channel_ingest(p_channel, p_messages, p_statuses, p_lease_seconds, p_polite_quiet_seconds);
  k integer;
begin
  insert into public.channel_job (channel, message_id, queued_at)
  select p_channel, c->>'message_id', public.app_now()
    from jsonb_array_elements(r->'claimed') with ordinality as x(c, n)
   order by n
  on conflict (channel, message_id) do nothing;
  get diagnostics k = row_count;
  return r || jsonb_build_object('queued', k);
end
$$;

-- Takes up to p_limit jobs, oldest first, skipping jobs another worker holds; extends each
-- message's work lease to p_work_lease_seconds.
-- -> {work: [{channel, message_id, user_id, action, message}] in queue order, taken, dropped}
--    taken: jobs removed from the queue (0: nothing left that another worker does not hold);
--    dropped: taken jobs whose message no longer needed this worker.
create or replace function public.channel_job_take(p_limit integer, p_work_lease_seconds integer default 300)
returns jsonb language plpgsql volatile as $$
declare
  t timestamptz := public.app_now();
  v_work jsonb;
  v_taken integer;
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
  return jsonb_build_object('work', v_work, 'taken', v_taken, 'dropped', v_taken - jsonb_array_length(v_work));
end
$$;

select public.comptoir_lock_down();
