import {
  appliesTo,
  type DriverValues,
  type EditionDocumentV2,
  type EditionItem,
  type LevelDefinition,
  resolveText,
  type Text,
} from './edition-v2';

/** An item of the tree with where it sits. */
export interface TreeNode {
  item: EditionItem;
  /** Index of the item's level in `levels`. */
  depth: number;
  parent: TreeNode | null;
  /** Position of the item in document order (depth-first). */
  position: number;
}

export type ItemTextField = 'title' | 'statement' | 'guidance';

const trees = new WeakMap<EditionDocumentV2, EditionTree>();

/**
 * The one way to read an edition's tree. Everything that needs items (ratings, self-assessment, evidence and
 * finding codes, results, the decision package, the report, workbooks) goes through it, never through the
 * document's nesting. Public API (kept small on purpose):
 *
 * - `EditionTree.of(document)`: the (cached) tree of a v2 document;
 * - `indicators()`: the rated items in document order; `indicatorCodes()`;
 * - `item(code)` / `node(code)`: an item by code; `parent(code)`, `ancestors(code)`;
 * - `nodes()`: every item in document order with depth and parent; `atLevel(key)`;
 * - `indicatorLevel` / `levels`: the level definitions;
 * - `text(item, field, lang)`: a text in a language with fallback to English; `title(lang)`;
 * - `applies(item, profile)`: the item's applicability over the institution's driver values.
 */
export class EditionTree {
  readonly levels: LevelDefinition[];
  /** Index in `levels` of the indicator level (the last rated one). */
  readonly indicatorDepth: number;
  private readonly all: TreeNode[] = [];
  private readonly byCode = new Map<string, TreeNode>();
  private readonly rated: TreeNode[];

  private constructor(readonly document: EditionDocumentV2) {
    this.levels = document.levels;
    const ratedIndexes = document.levels.flatMap((level, index) => (level.rated ? [index] : []));
    this.indicatorDepth = ratedIndexes.length
      ? ratedIndexes[ratedIndexes.length - 1]
      : document.levels.length - 1;
    const visit = (items: EditionItem[] | undefined, depth: number, parent: TreeNode | null): void => {
      for (const item of items ?? []) {
        const node: TreeNode = { item, depth, parent, position: this.all.length };
        this.all.push(node);
        if (!this.byCode.has(item.code)) this.byCode.set(item.code, node);
        visit(item.children, depth + 1, node);
      }
    };
    visit(document.items, 0, null);
    this.rated = this.all.filter((node) => node.depth === this.indicatorDepth);
  }

  static of(document: EditionDocumentV2): EditionTree {
    let tree = trees.get(document);
    if (!tree) {
      tree = new EditionTree(document);
      trees.set(document, tree);
    }
    return tree;
  }

  get indicatorLevel(): LevelDefinition {
    return this.levels[this.indicatorDepth];
  }

  /** The rated items (indicators), in document order. */
  indicators(): EditionItem[] {
    return this.rated.map((node) => node.item);
  }

  indicatorCodes(): string[] {
    return this.rated.map((node) => node.item.code);
  }

  isIndicator(code: string): boolean {
    return this.byCode.get(code)?.depth === this.indicatorDepth;
  }

  /** Every item in document order. */
  nodes(): readonly TreeNode[] {
    return this.all;
  }

  node(code: string): TreeNode | undefined {
    return this.byCode.get(code);
  }

  item(code: string): EditionItem | undefined {
    return this.byCode.get(code)?.item;
  }

  parent(code: string): EditionItem | undefined {
    return this.byCode.get(code)?.parent?.item;
  }

  /** The item's ancestors, outermost first. */
  ancestors(code: string): EditionItem[] {
    const result: EditionItem[] = [];
    for (let node = this.byCode.get(code)?.parent; node; node = node.parent) result.unshift(node.item);
    return result;
  }

  /** The items of a level, in document order. */
  atLevel(depth: number): EditionItem[] {
    return this.all.filter((node) => node.depth === depth).map((node) => node.item);
  }

  /** A text of an item in a language, falling back to English; `title` falls back to the statement. */
  text(item: EditionItem, field: ItemTextField, lang = 'en'): string {
    const value: Text | undefined = item[field] ?? (field === 'title' ? item.statement : undefined);
    return resolveText(value, lang);
  }

  title(lang = 'en'): string {
    return resolveText(this.document.title, lang);
  }

  applies(item: EditionItem, profile: DriverValues): boolean {
    return appliesTo(item.appliesWhen, profile);
  }

  /** Catalog counts: items of the top level, of the level above the indicators, and indicators. */
  counts(): { principleCount: number; standardCount: number; indicatorCount: number } {
    return {
      principleCount: this.atLevel(0).length,
      standardCount: this.atLevel(Math.max(0, this.indicatorDepth - 1)).length,
      indicatorCount: this.rated.length,
    };
  }
}
