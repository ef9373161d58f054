// Minimal typings for the parts of autocannon the benchmarks use (the package ships none).
declare module "autocannon" {
  interface Options {
    url: string;
    method?: string;
    duration?: number;
    connections?: number;
    overallRate?: number;
    headers?: Record<string, string>;
    body?: string;
    requests?: { setupRequest?: (req: Record<string, unknown>) => Record<string, unknown> }[];
  }
  interface Histogram { p50: number; p90: number; p99: number; average: number; total: number }
  interface Result { latency: Histogram; requests: Histogram; non2xx: number; errors: number; timeouts: number; duration: number }
  function autocannon(opts: Options): Promise<Result>;
  export default autocannon;
}
