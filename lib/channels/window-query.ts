/** Reads what the window rules need for one Meta channel user: their last message and the database clock. */
import type { Services } from "../services.js";
import type { SenderKind, WindowQuery } from "./adapter.js";
import { channelUserGet } from "./store.js";
import type { ChannelName } from "./types.js";

export async function windowQuery(services: Services, channel: ChannelName, at: { userId: string; sender: SenderKind }): Promise<WindowQuery> {
  const user = await channelUserGet(services.store, channel, at.userId);
  return { lastInboundAt: user?.last_inbound_at ?? null, now: user?.now ?? "", sender: at.sender };
}
