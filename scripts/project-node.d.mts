// Types for project-node.mjs, which stays plain JavaScript so it runs on any Node before anything is built.
export declare const TOOLS_DIR: string;
export declare const ENGINES_NODE: string;
export declare function satisfies(version: string, range: string): boolean;
export declare function isProjectNode(version?: string): boolean;
export declare function ensureProjectNode(log?: (line: string) => void): { binDir: string; nodedir: string | undefined; brought: boolean };
export declare function projectNodeEnv(env?: NodeJS.ProcessEnv, log?: (line: string) => void): NodeJS.ProcessEnv;
