/** The Hono environment of the app: what middleware puts in the context. */
export interface AppEnv {
  Variables: {
    /** Set by the request-id middleware; also the `X-Request-Id` response header. */
    requestId: string;
  };
}
