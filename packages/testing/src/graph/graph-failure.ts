/** A Graph error a route answers with (`{ error: { code, message } }`), caught by the Graph handler. */
export class GraphFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string
  ) {
    super(message);
    this.name = "GraphFailure";
  }
}

export function resourceNotFound(id: string): never {
  throw new GraphFailure(
    404,
    "Request_ResourceNotFound",
    `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`
  );
}
