// Words and places for realistic French B2B data (demo company and generator).
export interface Town {
  city: string;
  postalCode: string;
  region: string;
  latitude: number;
  longitude: number;
}

export const TOWNS: readonly Town[] = [
  { city: "Lille", postalCode: "59000", region: "Hauts-de-France", latitude: 50.63, longitude: 3.06 },
  { city: "Roubaix", postalCode: "59100", region: "Hauts-de-France", latitude: 50.69, longitude: 3.18 },
  { city: "Amiens", postalCode: "80000", region: "Hauts-de-France", latitude: 49.89, longitude: 2.3 },
  { city: "Beauvais", postalCode: "60000", region: "Hauts-de-France", latitude: 49.43, longitude: 2.08 },
  { city: "Rouen", postalCode: "76000", region: "Normandie", latitude: 49.44, longitude: 1.1 },
  { city: "Le Havre", postalCode: "76600", region: "Normandie", latitude: 49.49, longitude: 0.11 },
  { city: "Caen", postalCode: "14000", region: "Normandie", latitude: 49.18, longitude: -0.37 },
  { city: "Paris", postalCode: "75011", region: "Île-de-France", latitude: 48.86, longitude: 2.38 },
  { city: "Boulogne-Billancourt", postalCode: "92100", region: "Île-de-France", latitude: 48.84, longitude: 2.24 },
  { city: "Versailles", postalCode: "78000", region: "Île-de-France", latitude: 48.8, longitude: 2.13 },
  { city: "Lyon", postalCode: "69003", region: "Auvergne-Rhône-Alpes", latitude: 45.76, longitude: 4.85 },
  { city: "Grenoble", postalCode: "38000", region: "Auvergne-Rhône-Alpes", latitude: 45.19, longitude: 5.72 },
  { city: "Saint-Étienne", postalCode: "42000", region: "Auvergne-Rhône-Alpes", latitude: 45.44, longitude: 4.39 },
  { city: "Marseille", postalCode: "13008", region: "Provence-Alpes-Côte d'Azur", latitude: 43.3, longitude: 5.37 },
  { city: "Nice", postalCode: "06000", region: "Provence-Alpes-Côte d'Azur", latitude: 43.7, longitude: 7.27 },
  { city: "Toulon", postalCode: "83000", region: "Provence-Alpes-Côte d'Azur", latitude: 43.12, longitude: 5.93 },
  { city: "Bordeaux", postalCode: "33000", region: "Nouvelle-Aquitaine", latitude: 44.84, longitude: -0.58 },
  { city: "Pau", postalCode: "64000", region: "Nouvelle-Aquitaine", latitude: 43.3, longitude: -0.37 },
  { city: "La Rochelle", postalCode: "17000", region: "Nouvelle-Aquitaine", latitude: 46.16, longitude: -1.15 },
  { city: "Strasbourg", postalCode: "67000", region: "Grand Est", latitude: 48.57, longitude: 7.75 },
  { city: "Metz", postalCode: "57000", region: "Grand Est", latitude: 49.12, longitude: 6.18 },
];

export const TRADES = [
  "Quincaillerie", "Jardinerie", "Bricolage", "Matériaux", "Menuiserie", "Plomberie", "Électricité",
  "Peintures", "Carrelages", "Outillage", "Agrifournitures", "Distribution", "Équipements", "Négoce",
] as const;

export const FAMILY_NAMES = [
  "Dupont", "Martin", "Bernard", "Durand", "Lefèvre", "Moreau", "Laurent", "Simon", "Michel", "Garcia",
  "Roux", "Fournier", "Girard", "Bonnet", "Lambert", "Fontaine", "Rousseau", "Vincent", "Muller", "Faure",
  "Blanc", "Guérin", "Boyer", "Chevalier", "Perrin", "Morel", "Mercier", "Dubois", "Lemaire", "Gauthier",
] as const;

export const FIRST_NAMES = [
  "Camille", "Louis", "Léa", "Hugo", "Chloé", "Lucas", "Manon", "Jules", "Inès", "Arthur", "Sarah", "Nathan",
  "Julie", "Thomas", "Claire", "Antoine", "Émilie", "Nicolas", "Sophie", "Mathieu", "Élodie", "Julien",
] as const;

export const LEGAL_FORMS = ["SAS", "SARL", "SA", "EURL", "SASU"] as const;

export const JOB_TITLES = [
  ["Gérant", "DECISION_MAKER"], ["Directeur général", "DECISION_MAKER"], ["Responsable achats", "BUYER"],
  ["Acheteur", "BUYER"], ["Comptable", "BILLING"], ["Responsable technique", "TECHNICAL"],
  ["Chef de rayon", "USER"], ["Responsable magasin", "INFLUENCER"], ["Assistante de direction", "OTHER"],
] as const;

export const STREETS = ["rue de la République", "avenue Jean Jaurès", "boulevard Victor Hugo", "rue Pasteur", "rue du Commerce", "zone artisanale des Prés", "route Nationale", "rue de la Gare"] as const;

export function siret(n: number): string {
  return String(40_000_000_000_000 + n * 7_919).padStart(14, "0").slice(0, 14);
}
