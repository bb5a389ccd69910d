import { LineCounter, parseDocument, type Document } from 'yaml';
import { configDiagnostic, placeDiagnostic, type RuleId, type SourcePoint } from '@emr-eks-gitops/core';
import { EnvironmentFileError, type Problem } from './problems.js';
import { SourceMap, type ConfigPath, type ConfigSource, type SourceLocation } from './source-map.js';
import { MAX_ALIAS_COUNT, aliasBombPosition, parserMessage, unprintableCharacters } from './yaml-hazards.js';

/** One YAML file of the configuration, parsed with line numbers kept: an environment file or a tenant file. */
export interface YamlSource {
  /** Path as the user knows it, e.g. `environments/dev.yaml`. */
  readonly file: string;
  /** The text as parsed, for copying its lines. */
  readonly text: string;
  readonly document: Document.Parsed;
  readonly map: SourceMap;
  /** The document as plain data. */
  readonly value: unknown;
}

/**
 * Parses one file's text; hostile or damaged YAML (syntax errors, unprintable characters, alias bombs) is an
 * EnvironmentFileError with every problem located, never a stack trace.
 */
export function parseYamlSource(text: string, file: string): YamlSource {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true });
  const unprintable = unprintableCharacters(text, lineCounter).map(({ position, codePoint }) =>
    wholeFile(
      'config-syntax',
      { file, ...position },
      `the character ${codePoint} is not allowed in YAML (YAML 1.2.2 §5.1: printable characters only); delete it, or write it as an escape in a double-quoted string`,
    ),
  );
  if (document.errors.length > 0 || unprintable.length > 0) {
    throw new EnvironmentFileError([
      ...unprintable,
      ...document.errors.map((error) => {
        const position = error.linePos?.[0] ?? { line: 1, col: 1 };
        return wholeFile(
          'config-syntax',
          { file, line: position.line, column: position.col },
          `YAML syntax error: ${parserMessage(firstLine(error.message).replace(/ at line \d+, column \d+:?$/, ''))}`,
        );
      }),
    ]);
  }
  return {
    file,
    text,
    document,
    map: new SourceMap(document, lineCounter),
    value: documentValue(document, lineCounter, file),
  };
}

/** A single file as a ConfigSource: every path is located in it. */
export function fileSource(source: YamlSource): ConfigSource {
  return {
    locate: (path: ConfigPath, at?: 'value' | 'key'): SourceLocation => ({
      file: source.file,
      ...source.map.locate(path, at),
    }),
  };
}

/** A problem about the whole file (its YAML, its name), placed at `source`. */
export const wholeFile = (rule: RuleId, source: SourcePoint, message: string): Problem =>
  placeDiagnostic(configDiagnostic(rule, [], message), source);

/** The document as plain data; an alias bomb (which `yaml` answers with a ReferenceError) becomes a located problem. */
function documentValue(document: Document, lineCounter: LineCounter, file: string): unknown {
  try {
    return document.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    if (!(error instanceof ReferenceError && /alias/i.test(error.message))) throw error;
    throw new EnvironmentFileError([
      wholeFile(
        'config-syntax',
        { file, ...aliasBombPosition(document, lineCounter) },
        `YAML aliases here expand past ${MAX_ALIAS_COUNT} nodes, the shape of an alias bomb ("billion laughs"); write the values out instead of aliasing aliases`,
      ),
    ]);
  }
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? text;
}
