/**
 * Embeddings with Hugging Face feature extraction (hf-inference), through the shared HTTP
 * client and the "hf" breaker: `POST /hf-inference/models/{model}/pipeline/feature-extraction`
 * with `{inputs, normalize: true}`. The answer's shape varies by model (one vector, a vector per
 * input, or token vectors): it is normalised to one unit vector per input of the dimension the
 * caller stores. E5 models get their `query: ` / `passage: ` prefixes.
 */
import { createHttpClient } from "../../http/index.js";
import type { IntegrationDeps } from "../deps.js";
import type { HfConfig } from "./chat.js";

export class EmbeddingShapeError extends Error {
  override name = "EmbeddingShapeError";
}

export interface EmbedOptions { timeoutMs?: number; retries?: number }

export interface HfEmbedder {
  /** One unit vector of `dimensions` per text. Throws UpstreamError / BreakerOpenError on outages, EmbeddingShapeError on a wrong shape. */
  embed(texts: string[], kind: "query" | "passage", opts?: EmbedOptions): Promise<number[][]>;
}

function prefix(model: string, kind: "query" | "passage", text: string): string {
  return /(^|\/)(multilingual-)?e5/i.test(model) ? `${kind}: ${text}` : text;
}

/** The embedder of HF_EMBEDDING_MODEL; `dimensions` is what the caller's column holds. */
export function createHfEmbedder(hf: HfConfig, deps: IntegrationDeps, dimensions: number): HfEmbedder {
  return {
    async embed(texts, kind, opts = {}) {
      if (!hf.configured) throw new Error("embedTexts: HF_TOKEN is not set");
      if (!texts.length) return [];
      const client = createHttpClient(deps, {
        service: "hf",
        baseUrl: hf.baseUrl,
        timeoutMs: opts.timeoutMs ?? hf.timeoutMs,
        retry: opts.retries === undefined ? hf.retry : { ...hf.retry, attempts: opts.retries },
        headers: { authorization: `Bearer ${hf.token}` },
      });
      const data = await client.json<unknown>({
        method: "POST",
        path: `/hf-inference/models/${hf.embeddingModel.split("/").map(encodeURIComponent).join("/")}/pipeline/feature-extraction`,
        json: { inputs: texts.map((t) => prefix(hf.embeddingModel, kind, t)), normalize: true },
        idempotent: true,
      });
      return normaliseEmbeddings(data, texts.length, dimensions);
    },
  };
}

const isVector = (v: unknown): v is number[] => Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === "number" && Number.isFinite(x));

/** number[] | number[][] | number[][][] (token vectors, mean-pooled) -> one unit vector per input. */
export function normaliseEmbeddings(data: unknown, count: number, dimensions: number): number[][] {
  let rows: number[][];
  if (isVector(data)) rows = [data];
  else if (Array.isArray(data) && data.every(isVector)) rows = data as number[][];
  else if (Array.isArray(data) && data.every((d) => Array.isArray(d) && d.every(isVector))) rows = (data as number[][][]).map(meanPool);
  else throw new EmbeddingShapeError("the embedding model answered with an unexpected shape");
  if (rows.length !== count) throw new EmbeddingShapeError(`expected ${count} embeddings, got ${rows.length}`);
  for (const r of rows) {
    if (r.length !== dimensions) {
      throw new EmbeddingShapeError(`HF_EMBEDDING_MODEL gives ${r.length}-dimension vectors; the knowledge base stores ${dimensions} (use e.g. intfloat/multilingual-e5-small)`);
    }
  }
  return rows.map(unit);
}

function meanPool(tokens: number[][]): number[] {
  const out = new Array<number>(tokens[0]!.length).fill(0);
  for (const t of tokens) t.forEach((x, i) => (out[i]! += x / tokens.length));
  return out;
}

function unit(v: number[]): number[] {
  const norm = Math.sqrt(v.reduce((s, x) => s + x * x, 0)) || 1;
  return v.map((x) => Math.round((x / norm) * 1e6) / 1e6);
}
