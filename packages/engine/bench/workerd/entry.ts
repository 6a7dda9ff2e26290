/**
 * Worker for bench/workerd.mjs. Time does not advance inside a Workers request, so this worker
 * times nothing: the runner uploads the model files (POST /file/<name>), builds the runners
 * (POST /engine/<dtype>, POST /ort/<seq>x<batch> with the ONNX graph as body) and times
 * GET /run?runner=…&seq=…&batch=…&iters=N requests from outside.
 */
import { BundleSource, loadModel, type Model } from "@edgeformers/engine";
import { loadOrtWeb, type OrtWeb } from "@edgeformers/engine/ort-web";
import { benchInputs } from "../inputs.js";

const files: Record<string, Uint8Array | string> = {};
const engines: Record<string, Model> = {};
let ort: OrtWeb | undefined;
type Session = Awaited<ReturnType<OrtWeb["InferenceSession"]["create"]>>;
let session: { shape: string; session: Session } | undefined;

async function handle(request: Request): Promise<Response> {
  const url = new URL(request.url);
  const [, kind, name] = url.pathname.split("/");
  if (request.method === "POST" && kind === "file") {
    const bytes = new Uint8Array(await request.arrayBuffer());
    files[name] = name.endsWith(".json") ? new TextDecoder().decode(bytes) : bytes;
    return new Response("ok");
  }
  if (request.method === "POST" && kind === "engine") {
    const dtype = name as "f32" | "int8";
    const weights = dtype === "int8" ? files["model.int8.safetensors"] : files["model.safetensors"];
    const bundle = {
      "config.json": files["config.json"],
      "tokenizer.json": files["tokenizer.json"],
      "model.safetensors": weights,
    };
    engines[dtype] = await loadModel(new BundleSource(bundle as never), {
      dtype,
      memoryBudgetBytes: 2 ** 31 - 2 ** 26,
    });
    return Response.json(engines[dtype].stats());
  }
  if (request.method === "POST" && kind === "ort") {
    ort ??= await loadOrtWeb();
    if (session) await session.session.release();
    const graph = new Uint8Array(await request.arrayBuffer());
    session = {
      shape: name,
      session: await ort.InferenceSession.create(graph, {
        intraOpNumThreads: 1,
        interOpNumThreads: 1,
        graphOptimizationLevel: "all",
      }),
    };
    return new Response("ok");
  }
  if (kind === "run") {
    const runner = url.searchParams.get("runner") ?? "";
    const seq = Number(url.searchParams.get("seq"));
    const batch = Number(url.searchParams.get("batch"));
    const iters = Number(url.searchParams.get("iters"));
    const vocab = Number(url.searchParams.get("vocab"));
    const x = benchInputs(seq, batch, vocab);
    let last: Float32Array | undefined;
    if (runner === "ort-web") {
      if (!ort || session?.shape !== `${seq}x${batch}`)
        return new Response("no session for this shape", { status: 400 });
      const t = (a: number[][]) => new ort!.Tensor("int64", BigInt64Array.from(a.flat().map(BigInt)), [batch, seq]);
      const feeds = { input_ids: t(x.inputIds), attention_mask: t(x.attentionMask), token_type_ids: t(x.tokenTypeIds) };
      for (let i = 0; i < iters; i++) last = (await session.session.run(feeds)).last_hidden_state.data as Float32Array;
    } else {
      const model = engines[runner];
      if (!model) return new Response(`no engine ${runner}`, { status: 400 });
      for (let i = 0; i < iters; i++) last = (await model.forward(x)).last_hidden_state.data;
    }
    // The first values, so the runner can check the runtimes agree.
    return Response.json({ head: last ? Array.from(last.subarray(0, 64)) : [], stats: engines[runner]?.stats() });
  }
  return new Response("not found", { status: 404 });
}

export default {
  async fetch(request: Request): Promise<Response> {
    try {
      return await handle(request);
    } catch (error) {
      return new Response(String((error as Error)?.stack ?? error), { status: 500 });
    }
  },
};
