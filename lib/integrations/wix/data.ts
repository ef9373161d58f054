/**
 * Wix Data v2 (CMS collections): query, insert, update (replace). Reads are eventually
 * consistent; an update replaces the whole item (missing fields are lost); at most one update
 * per item per second.
 */
import * as z from "zod/mini";
import { lazy, type Services } from "../../services.js";
import { getWixClient, invalidWixResponse, wixPath, type WixClient } from "./client.js";

export interface WixDataItem<T = Record<string, unknown>> {
  id: string;
  dataCollectionId: string;
  data: T;
}

export interface WixDataQuery {
  /** Wix query language, e.g. `{ email: { $eq: "a@b.fr" } }`. */
  filter?: Record<string, unknown>;
  sort?: { fieldName: string; order: "ASC" | "DESC" }[];
  /** 1..1000, default 50. */
  limit?: number;
  /** Fields to return (projection). */
  fields?: string[];
}

export interface WixData {
  queryItems<T = Record<string, unknown>>(collectionId: string, query?: WixDataQuery): Promise<WixDataItem<T>[]>;
  insertItem<T extends Record<string, unknown>>(collectionId: string, data: T): Promise<WixDataItem<T>>;
  /** Replaces the item `id` with `data` (PUT). */
  updateItem<T extends Record<string, unknown>>(collectionId: string, id: string, data: T): Promise<WixDataItem<T>>;
}

const Item = z.looseObject({ id: z.string(), dataCollectionId: z.nullish(z.string()), data: z.nullish(z.record(z.string(), z.unknown())) });
const ItemResponse = z.looseObject({ dataItem: Item });
const QueryResponse = z.looseObject({ dataItems: z._default(z.array(Item), []) });

function toItem<T>(collectionId: string, raw: z.infer<typeof Item>): WixDataItem<T> {
  return { id: raw.id, dataCollectionId: raw.dataCollectionId ?? collectionId, data: (raw.data ?? {}) as T };
}

function checkCollection(collectionId: string): void {
  if (!collectionId || typeof collectionId !== "string") throw new TypeError("a Wix Data collection id is required");
}

export function queryItemsBody(collectionId: string, q: WixDataQuery = {}) {
  const limit = Math.min(1000, Math.max(1, Math.trunc(q.limit ?? 50)));
  return {
    dataCollectionId: collectionId,
    query: {
      ...(q.filter ? { filter: q.filter } : {}),
      ...(q.sort?.length ? { sort: q.sort } : {}),
      paging: { limit },
      ...(q.fields?.length ? { fields: q.fields } : {}),
    },
  };
}

export function createWixData(client: WixClient): WixData {
  return {
    async queryItems<T>(collectionId: string, query?: WixDataQuery) {
      checkCollection(collectionId);
      const data = await client.site({ method: "POST", path: "/wix-data/v2/items/query", json: queryItemsBody(collectionId, query), idempotent: true });
      const r = QueryResponse.safeParse(data);
      if (!r.success) throw invalidWixResponse("data query", r.error.message);
      return r.data.dataItems.map((i) => toItem<T>(collectionId, i));
    },
    async insertItem<T extends Record<string, unknown>>(collectionId: string, item: T) {
      checkCollection(collectionId);
      // Not retried: a lost answer to a successful insert would otherwise insert twice.
      const data = await client.site({ method: "POST", path: "/wix-data/v2/items", json: { dataCollectionId: collectionId, dataItem: { data: item } } });
      const r = ItemResponse.safeParse(data);
      if (!r.success) throw invalidWixResponse("data insert", r.error.message);
      return toItem<T>(collectionId, r.data.dataItem);
    },
    async updateItem<T extends Record<string, unknown>>(collectionId: string, id: string, item: T) {
      checkCollection(collectionId);
      if (!id) throw new TypeError("a Wix Data item id is required");
      const data = await client.site({
        method: "PUT",
        path: wixPath`/wix-data/v2/items/${id}`,
        json: { dataCollectionId: collectionId, dataItem: { id, data: item } },
      });
      const r = ItemResponse.safeParse(data);
      if (!r.success) throw invalidWixResponse("data update", r.error.message);
      return toItem<T>(collectionId, r.data.dataItem);
    },
  };
}

/** Wix Data of these services (needs WIX_API_KEY and WIX_SITE_ID). */
export function getWixData(services: Services): WixData {
  return lazy(services, "wix:data", () => createWixData(getWixClient(services)));
}
