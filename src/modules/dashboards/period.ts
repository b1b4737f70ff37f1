// Named periods resolve against the request's "today"; internally a period is [start, end) in UTC days.
import { badInput } from "../../errors/api-errors.js";
import { PeriodPreset, type PeriodInput } from "./dashboard.inputs.js";

export interface DateRange {
  start: Date;
  /** exclusive */
  end: Date;
}

const DAY = 86_400_000;
const utc = (y: number, m: number, d = 1) => new Date(Date.UTC(y, m, d));

export function presetRange(preset: PeriodPreset, today: Date): DateRange {
  const y = today.getUTCFullYear();
  const m = today.getUTCMonth();
  const tomorrow = new Date(today.getTime() + DAY);
  switch (preset) {
    case PeriodPreset.THIS_MONTH:
      return { start: utc(y, m), end: utc(y, m + 1) };
    case PeriodPreset.LAST_MONTH:
      return { start: utc(y, m - 1), end: utc(y, m) };
    case PeriodPreset.QUARTER_TO_DATE:
      return { start: utc(y, m - (m % 3)), end: tomorrow };
    case PeriodPreset.YEAR_TO_DATE:
      return { start: utc(y, 0), end: tomorrow };
    case PeriodPreset.TRAILING_12_MONTHS:
      return { start: utc(y, m - 11), end: utc(y, m + 1) };
  }
}

export const MAX_PERIOD_DAYS = 3 * 366;

export function resolvePeriod(input: PeriodInput | null | undefined, today: Date): DateRange {
  if (input?.from || input?.to) {
    if (!input.from || !input.to) throw badInput("A period needs both from and to (or a preset)");
    const range = { start: input.from, end: new Date(input.to.getTime() + DAY) };
    if (range.end <= range.start) throw badInput("period.to must not be before period.from");
    if ((range.end.getTime() - range.start.getTime()) / DAY > MAX_PERIOD_DAYS) throw badInput(`A period spans at most ${MAX_PERIOD_DAYS} days`);
    return range;
  }
  return presetRange(input?.preset ?? PeriodPreset.THIS_MONTH, today);
}

export const lastDay = (range: DateRange) => new Date(range.end.getTime() - DAY);
