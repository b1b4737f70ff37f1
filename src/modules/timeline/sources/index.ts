// Every source of the organisation timeline. A module adds its own source here (one line).
import type { TimelineSource } from "../timeline.source.js";
import { contactChangesSource } from "./contact-changes.source.js";
import { incidentsSource } from "./incidents.source.js";
import { notesSource } from "./notes.source.js";
import { ordersSource } from "./orders.source.js";
import { quotesSource } from "./quotes.source.js";
import { requestsSource } from "./requests.source.js";
import { stageChangesSource } from "./stage-changes.source.js";
import { tasksSource } from "./tasks.source.js";
import { visitsSource } from "./visits.source.js";

export const TIMELINE_SOURCES: readonly TimelineSource[] = [
  requestsSource,
  notesSource,
  contactChangesSource,
  visitsSource,
  stageChangesSource,
  quotesSource,
  ordersSource,
  incidentsSource,
  tasksSource,
];
