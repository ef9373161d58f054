-- Dialogue state per conversation, and tokens + latency per assistant turn.
--
-- chat_dialogue: what the assistant must remember between turns beyond the messages (lib/assistant/
--   dialogue.ts): the products last shown, in order (ordinals: "the second one"), the product in
--   focus (pronouns: "I'll take it"), the last catalogue search and its filters (refinements:
--   "in blue", "cheaper", "in size 38"), and the pending question (which size? which email?).
--   One jsonb document per conversation, written whole at the end of a turn: a turn owns its
--   conversation (turns of one conversation are serialised by the shopper), and the last writer wins.
-- chat_turn_begin_dialogue / chat_turn_finish_dialogue wrap chat_turn_begin / chat_turn_finish with
--   the same arguments plus the state, so loading and saving it costs no extra round trip and any
--   later fix to the wrapped functions is picked up as is.
-- chat_message gains tokens_in, tokens_out (model usage, null offline) and latency_ms.

create table if not exists public.chat_dialogue (
  conversation_id uuid primary key references public.chat_conversation (id) on delete cascade,
  state           jsonb not null default '{}'::jsonb,
  updated_at      timestamptz not null
);

alter table public.chat_message add column if not exists tokens_in integer;
alter table public.chat_message add column if not exists tokens_out integer;
alter table public.chat_message add column if not exists latency_ms integer;

-- chat_turn_begin's result plus 'dialogue' (the state saved by the last turn, {} when none).
create or replace function public.chat_turn_begin_dialogue(
  p_channel text, p_user_key text, p_message_id text, p_text text,
  p_payload text default null, p_user_name text default null, p_fallback_user_key text default null,
  p_history_chars integer default 8000, p_history_max integer default 30, p_rate_limits jsonb default '[]'::jsonb,
  p_answer_lease_seconds integer default 30)
returns jsonb language plpgsql volatile as $$
declare
  r jsonb;
begin
  r := public.chat_turn_begin(p_channel => p_channel, p_user_key => p_user_key, p_message_id => p_message_id,
    p_text => p_text, p_payload => p_payload, p_user_name => p_user_name, p_fallback_user_key => p_fallback_user_key,
    p_history_chars => p_history_chars, p_history_max => p_history_max, p_rate_limits => p_rate_limits,
    p_answer_lease_seconds => p_answer_lease_seconds);
  if r->>'status' = 'ok' then
    r := r || jsonb_build_object('dialogue', coalesce(
      (select d.state from public.chat_dialogue d where d.conversation_id = (r->'conversation'->>'id')::uuid), '{}'::jsonb));
  end if;
  return r;
end
$$;

-- chat_turn_finish, then the dialogue state (when given) and the turn's usage on the stored reply.
-- The state is only written when this call stored the reply (a duplicate finish changes nothing).
create or replace function public.chat_turn_finish_dialogue(
  p_conversation_id uuid, p_reply_to bigint, p_text text, p_reply jsonb,
  p_meta jsonb default '{}'::jsonb, p_language text default null, p_contact_email text default null,
  p_handoff_reason text default null, p_dialogue jsonb default null,
  p_tokens_in integer default null, p_tokens_out integer default null, p_latency_ms integer default null)
returns jsonb language plpgsql volatile as $$
declare
  r jsonb;
  v_id bigint;
begin
  if p_dialogue is not null and jsonb_typeof(p_dialogue) <> 'object' then
    raise exception 'p_dialogue must be a json object' using errcode = '22023';
  end if;
  r := public.chat_turn_finish(p_conversation_id => p_conversation_id, p_reply_to => p_reply_to, p_text => p_text,
    p_reply => p_reply, p_meta => p_meta, p_language => p_language, p_contact_email => p_contact_email,
    p_handoff_reason => p_handoff_reason);
  v_id := (r->>'message_id')::bigint;
  if v_id is not null then
    if p_tokens_in is not null or p_tokens_out is not null or p_latency_ms is not null then
      update public.chat_message set tokens_in = p_tokens_in, tokens_out = p_tokens_out, latency_ms = p_latency_ms
       where id = v_id;
    end if;
    if p_dialogue is not null then
      insert into public.chat_dialogue (conversation_id, state, updated_at)
      values (p_conversation_id, p_dialogue, public.app_now())
      on conflict (conversation_id) do update set state = excluded.state, updated_at = excluded.updated_at;
    end if;
  end if;
  return r;
end
$$;

select public.comptoir_lock_down();
