// Database ids are uuids: the one pattern every id check uses (global ids, token subjects, cursors).
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
