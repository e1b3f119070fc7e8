/** The path of the generated src/schema.ts. */
export declare const SCHEMA_FILE: string;
/** The API's OpenAPI document. */
export declare function openApiDocument(): Promise<Record<string, unknown>>;
/** The text of src/schema.ts for the current API. */
export declare function generateSchema(): Promise<string>;
