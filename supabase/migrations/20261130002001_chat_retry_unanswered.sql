-- A retried chat message whose reply was never stored (the database failed between the turn's
-- two round trips, or the instance died) used to get {status: 'duplicate', reply: null} forever,
-- i.e. an empty answer. Each inbound message now carries an answer lease: the attempt that stores
-- it holds the lease for p_answer_lease_seconds (the request budget and a margin, passed by the
-- app). A duplicate is answered with its stored reply when there is one (silence in human mode,
-- as before); while the lease is live the first attempt is still answering ({reply: null}, as
-- before: parallel redeliveries still make one turn); once it has expired with no reply stored,
-- one caller takes the lease again and the turn runs on the stored message:
-- {status: 'ok', message_id: <the first attempt's row>, retry: true}. At most one reply is ever
-- stored per message (chat_message_reply_to_idx; chat_turn_finish does nothing on conflict).

alter table public.chat_message add column if not exists answer_lease_until timestamptz;

drop function if exists public.chat_turn_begin(text, text, text, text, text, text, text, integer, integer, jsonb);

create or replace function public.chat_turn_begin(
  p_channel text, p_user_key text, p_message_id text, p_text text,
  p_payload text default null, p_user_name text default null, p_fallback_user_key text default null,
  p_history_chars integer default 8000, p_history_max integer default 30, p_rate_limits jsonb default '[]'::jsonb,
  p_answer_lease_seconds integer default 30)
returns jsonb language plpgsql volatile as $$
declare
  t timestamptz := public.app_now();
  v_key text := p_user_key;
  v_limit jsonb;
  v_hit jsonb;
  v_retry integer := 0;
  c public.chat_conversation;
  v_msg bigint;
  v_history jsonb;
  v_last jsonb;
  v_reply jsonb;
  v_retry_turn boolean := false;
begin
  for v_limit in select * from jsonb_array_elements(coalesce(p_rate_limits, '[]'::jsonb)) loop
    v_hit := public.rate_limit_hit(v_limit->>'key', (v_limit->>'limit')::integer, (v_limit->>'window_seconds')::integer);
    if not (v_hit->>'allowed')::boolean then
      v_retry := greatest(v_retry, (v_hit->>'retry_after_seconds')::integer);
    end if;
  end loop;
  if v_retry > 0 then
    return jsonb_build_object('status', 'rate_limited', 'retry_after_seconds', v_retry);
  end if;

  if p_fallback_user_key is not null
     and not exists (select 1 from public.chat_conversation where channel = p_channel and user_key = p_user_key) then
    v_key := p_fallback_user_key;
  end if;

  insert into public.chat_conversation as cv (channel, user_key, user_name, created_at, updated_at)
  values (p_channel, v_key, nullif(btrim(p_user_name), ''), t, t)
  on conflict (channel, user_key) do update
    set updated_at = excluded.updated_at, user_name = coalesce(excluded.user_name, cv.user_name)
  returning * into c;

  insert into public.chat_message (conversation_id, role, external_id, content, payload, created_at, answer_lease_until)
  values (c.id, 'user', p_message_id, coalesce(p_text, ''), nullif(p_payload, ''), t,
          t + make_interval(secs => greatest(p_answer_lease_seconds, 1)))
  on conflict (conversation_id, external_id) do nothing
  returning id into v_msg;

  if v_msg is null then
    -- Seen before. Its stored reply, if there is one, is the answer; else, once the answering
    -- attempt's lease has expired, this caller takes it and the turn runs again.
    select r.reply into v_reply
    from public.chat_message m join public.chat_message r on r.reply_to = m.id
    where m.conversation_id = c.id and m.external_id = p_message_id;
    if v_reply is null and c.mode = 'bot' then
      update public.chat_message m
         set answer_lease_until = t + make_interval(secs => greatest(p_answer_lease_seconds, 1))
       where m.conversation_id = c.id and m.external_id = p_message_id
         and (m.answer_lease_until is null or m.answer_lease_until <= t)
         and not exists (select 1 from public.chat_message r where r.reply_to = m.id)
      returning m.id into v_msg;
    end if;
    if v_msg is null then
      return jsonb_build_object('status', 'duplicate', 'conversation', public.chat_conversation_json(c), 'reply', v_reply);
    end if;
    v_retry_turn := true;
  end if;

  select coalesce(jsonb_agg(jsonb_build_object('role', h.role, 'content', h.content) order by h.id), '[]'::jsonb)
    into v_history
  from (
    select r.id, r.role, r.content, sum(length(r.content)) over (order by r.id desc) as running
    from (select m.id, m.role, m.content from public.chat_message m
          where m.conversation_id = c.id and m.id < v_msg and m.content <> ''
          order by m.id desc limit greatest(p_history_max, 0)) r
  ) h
  where h.running <= p_history_chars;

  select coalesce((select jsonb_agg(p->'id') from jsonb_array_elements(m.reply->'products') p), '[]'::jsonb)
    into v_last
  from public.chat_message m
  where m.conversation_id = c.id and m.role = 'assistant' and jsonb_array_length(coalesce(m.reply->'products', '[]'::jsonb)) > 0
  order by m.id desc limit 1;

  return jsonb_build_object('status', 'ok', 'conversation', public.chat_conversation_json(c), 'message_id', v_msg,
    'history', v_history, 'last_products', coalesce(v_last, '[]'::jsonb), 'retry', v_retry_turn);
end
$$;

select public.comptoir_lock_down();
