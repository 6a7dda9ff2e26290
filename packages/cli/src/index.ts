export { DiskBucket } from "./disk-bucket.js";
export { downloadFile, type FileSink, type ProgressListener } from "./download.js";
export { CliError } from "./errors.js";
export { Hub, type HubOptions, type RemoteFile } from "./hub.js";
export { type Inspection, ISOLATE_BYTES, inspect, listModels, WEIGHTS_BUDGET_BYTES } from "./inspect.js";
export { type PullOptions, type PullResult, pull } from "./pull.js";
export { LOCAL_BUCKET, LOCAL_R2_STATE, type PushOptions, push } from "./push.js";
export { type QuantizeReport, quantizeFolder, SAMPLE_SENTENCES } from "./quantize.js";
export { discoverModels, type ServeOptions, serve } from "./serve.js";
