// saxen ships no type declarations; this covers the non-namespace, non-proxy use in docx-xml.ts.
declare module 'saxen' {
  type Decode = (s: string) => string;
  type Context = () => { line: number; column: number; data?: string };
  export class Parser {
    constructor(options?: { proxy?: boolean });
    on(event: 'openTag', fn: (name: string, attrs: () => Record<string, string>, decode: Decode, selfClosing: boolean, ctx: Context) => void): this;
    on(event: 'closeTag', fn: (name: string, decode: Decode, selfClosing: boolean, ctx: Context) => void): this;
    on(event: 'text', fn: (value: string, decode: Decode, ctx: Context) => void): this;
    on(event: 'cdata', fn: (value: string, ctx: Context) => void): this;
    on(event: 'error' | 'warn', fn: (err: Error, ctx: Context) => void): this;
    on(event: 'comment' | 'attention' | 'question', fn: (...args: unknown[]) => void): this;
    parse(xml: string): this;
  }
}
