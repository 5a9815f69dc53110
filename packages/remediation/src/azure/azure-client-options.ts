import type { HttpClient, PipelineOptions, PipelinePolicy } from "@azure/core-rest-pipeline";

/** Options passed through to every Azure SDK client the package creates (the common subset of their options). */
export interface AzureClientOptions extends PipelineOptions {
  httpClient?: HttpClient;
  additionalPolicies?: { policy: PipelinePolicy; position: "perCall" | "perRetry" }[];
  allowInsecureConnection?: boolean;
}
