/**
 * A query the fake refuses, with the Log Analytics query API's error shape (400 `BadArgumentError` with a nested
 * `innererror`, as the service answers syntax and semantic errors).
 */
export class KqlQueryError extends Error {
  constructor(
    readonly innerCode: string,
    readonly innerMessage: string,
    readonly detailCode: string,
    message: string,
  ) {
    super(message);
    this.name = "KqlQueryError";
  }

  /** Something outside the subset the fake evaluates: a 400 naming the construct. */
  static unsupported(what: string, fragment: string): KqlQueryError {
    const where = fragment === "" ? "" : ` (at '${fragment.length > 80 ? `${fragment.slice(0, 77)}...` : fragment}')`;
    return new KqlQueryError(
      "UnsupportedByFake",
      "The query uses KQL that the fake Log Analytics workspace does not evaluate.",
      "FAKE0001",
      `Unsupported operator: ${what}${where}. The fake evaluates where, extend, project, summarize (count, countif, min, max, sum, dcount) and take/limit, with comparison, string, in/between and a few scalar functions; extend the evaluator in @keywarden/testing rather than relying on made-up rows.`,
    );
  }

  static syntax(message: string): KqlQueryError {
    return new KqlQueryError("SyntaxError", "A recognition error occurred in the query.", "SYN0002", message);
  }

  static semantic(message: string): KqlQueryError {
    return new KqlQueryError("SemanticError", "A semantic error occurred.", "SEM0100", message);
  }

  /** The JSON error body the query API returns. */
  toBody(): { error: { code: string; message: string; innererror: Record<string, unknown> } } {
    return {
      error: {
        code: "BadArgumentError",
        message: "The request had some invalid properties",
        innererror: {
          code: this.innerCode,
          message: this.innerMessage,
          innererror: { code: this.detailCode, message: this.message },
        },
      },
    };
  }
}
