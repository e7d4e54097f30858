import { foldTraditional, normalizeText } from './text.js';
import { splitOutsideBrackets } from './kinds.js';

export interface UnitRoles {
  lead: string[];
  responsible: string[];
  cooperating: string[];
}

type Role = keyof UnitRoles;

/**
 * Role words at the end of a piece, tried group by group in this order. Matching is
 * done on the traditional-folded text; since folding is one character for one,
 * the same slice of the printed text is removed. Within a group the longest word
 * that ends the piece wins (what an end-anchored alternation would match); plain
 * suffix checks spare a regex scan from every position of the piece.
 */
const TRAILING_ROLES: [words: string[], role: Role][] = [
  [['牵头负责', '牵头落实', '牵头抓总'], 'lead'],
  [['按职责分工负责', '按职能分工负责', '按职责负责', '按职能负责', '按分工负责', '分别负责', '共同负责', '具体负责', '负责落实', '抓好落实', '组织实施', '分别落实', '按职责落实', '按职能落实'], 'responsible'],
  [['牵头'], 'lead'],
  [['负责', '落实', '责任', '承办', '实施'], 'responsible'],
  [['配合', '协办', '协助', '参与', '配合落实', '协助落实'], 'cooperating'],
];

interface RoleWord {
  word: string;
  role: Role;
}

/**
 * The role words by their last character, in the order trailingRole must try them
 * (group by group, the longest first within a group): most pieces end in a
 * character no role word ends in, and the rest are checked against a few words.
 */
const ROLE_WORDS_BY_LAST_CHAR = new Map<number, RoleWord[]>();
for (const [words, role] of TRAILING_ROLES) {
  for (const word of [...words].sort((a, b) => b.length - a.length)) {
    const last = word.charCodeAt(word.length - 1);
    let list = ROLE_WORDS_BY_LAST_CHAR.get(last);
    if (!list) ROLE_WORDS_BY_LAST_CHAR.set(last, (list = []));
    list.push({ word, role });
  }
}

/** The role word closing a (folded) piece, or undefined. */
function trailingRole(folded: string): RoleWord | undefined {
  // An empty piece is tested first: charCodeAt past the end deoptimises optimised code.
  if (folded === '') return undefined;
  return ROLE_WORDS_BY_LAST_CHAR.get(folded.charCodeAt(folded.length - 1))?.find((w) => folded.endsWith(w.word));
}

const COOPERATE_PREFIX = /^(会同|协同|联合|配合|协助)/;

interface Piece {
  name: string;
  role: Role | null;
}

/**
 * Parse a printed units phrase into lead / responsible / cooperating lists
 * (SPEC §2 "Units parsing"). A piece without a role word takes the role of
 * the next piece that has one (`A、B负责` → both responsible); what is left
 * without any role word at the end is responsible.
 */
export function parseUnits(raw: string): UnitRoles {
  let text = normalizeText(raw);
  // A phrase printed in brackets, "（经济发展办负责）": the brackets are not part of any name.
  if (/^[（(\[【].*[）)\]】]$/.test(text) && splitOutsideBrackets(text, /[、，,；;]/).length === 1) text = text.slice(1, -1);
  const cleaned = text.replace(/[。．]+$/, '');
  const result: UnitRoles = { lead: [], responsible: [], cooperating: [] };
  const pieces: Piece[] = [];
  for (const rawPiece of splitOutsideBrackets(cleaned, /[、，,；;]/)) {
    for (const piece of splitCooperation(rawPiece.trim())) pieces.push(piece);
  }
  let pending: string[] = [];
  const flush = (role: Role) => {
    for (const n of pending) push(result[role], n);
    pending = [];
  };
  for (const p of pieces) {
    if (p.role === null) {
      if (p.name) pending.push(p.name);
      continue;
    }
    if (p.name) pending.push(p.name);
    flush(p.role);
  }
  flush('responsible');
  return result;
}

function push(list: string[], name: string) {
  const n = name.replace(/^(由|请)/, '').trim();
  if (n && !list.includes(n)) list.push(n);
}

/** One separator-free piece → one or two pieces (`A会同B落实` → A responsible, B cooperating). */
function splitCooperation(piece: string): Piece[] {
  if (!piece) return [];
  // Folded once: folding is one character for one, so slices of it fold the same slices of the piece.
  const folded = foldTraditional(piece);
  const at = folded.search(/(会同|协同)/);
  if (at > 0) {
    const left = stripRole(piece.slice(0, at), folded.slice(0, at));
    const right = stripRole(piece.slice(at + 2), folded.slice(at + 2));
    // "A会同B落实": the closing role word belongs to A; B cooperates.
    const closing = trailingRole(folded.slice(at + 2));
    const leftRole: Role = left.role ?? (closing && closing.role !== 'cooperating' ? closing.role : 'responsible');
    return [
      { name: left.name, role: leftRole },
      { name: right.name, role: 'cooperating' },
    ];
  }
  if (at === 0 || COOPERATE_PREFIX.test(folded)) {
    const rest = piece.replace(/^(會同|会同|協同|协同|联合|聯合|配合|協助|协助)/, '');
    return [{ name: stripRole(rest, folded.slice(piece.length - rest.length)).name, role: 'cooperating' }];
  }
  return [stripRole(piece, folded)];
}

/** The piece without its closing role words, and the role they give; `folded` is foldTraditional(piece). */
function stripRole(piece: string, folded: string): Piece {
  let name = piece.trim();
  let foldedName = folded.trim();
  let role: Role | null = null;
  // Repeatedly strip: "牵头负责" is one entry, but "…局牵头落实" too.
  for (let guard = 0; guard < 3; guard++) {
    const hit = trailingRole(foldedName);
    if (!hit) break;
    const cut = name.length - hit.word.length;
    name = name.slice(0, cut).trim();
    foldedName = foldedName.slice(0, cut).trim();
    if (role === null) role = hit.role;
    else if (hit.role === 'lead') role = 'lead';
  }
  // "分别负责落实": the adverb before a role word is not part of the name.
  if (role !== null) name = name.replace(/(分别|共同|各自|具体|按职责分工|按职能分工|按职责|按职能)$/, '');
  return { name: name.replace(/[：:]$/, ''), role };
}
