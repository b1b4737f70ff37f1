// Organisation names folded for search and duplicate detection: "SAS Dupont & Fils" ~ "dupont et fils".
const LEGAL_FORMS = new Set([
  "sa", "sas", "sasu", "sarl", "eurl", "snc", "sci", "scp", "scop", "gie", "selarl",
  "ets", "etablissements", "cie", "compagnie", "societe", "ste", "group", "groupe",
  "gmbh", "ltd", "limited", "inc", "llc", "bv", "nv", "spa", "srl",
]);

export function foldName(name: string): string {
  return name
    .normalize("NFD")
    .replace(/\p{Diacritic}/gu, "")
    .toLowerCase()
    .replace(/&/g, " et ")
    .replace(/[^a-z0-9]+/g, " ")
    .split(" ")
    .filter((word) => word && !LEGAL_FORMS.has(word))
    .join(" ");
}

/** Folds free text typed into a search box the same way, keeping legal-form words when they are all there is. */
export function foldSearchText(text: string): string {
  return foldName(text) || text.normalize("NFD").replace(/\p{Diacritic}/gu, "").toLowerCase().trim();
}
