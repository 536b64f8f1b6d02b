/** `npm run bench`: every measured figure the issues ask for, printed as one table. */
import { benchCorpus } from './corpus.ts';
import { benchEngine, benchApp } from './engine.ts';
import { benchJobs } from './jobs.ts';
import { benchNlu } from './nlu.ts';
import { benchStorage } from './storage.ts';
import { benchTelegram } from './telegram.ts';
import { benchVoice } from './voice.ts';

interface Row {
  name: string;
  value: number;
  unit: string;
  goal?: number | string;
}

function print(section: string, rows: Row[]): void {
  process.stdout.write(`\n${section}\n`);
  for (const row of rows) {
    const goal = row.goal === undefined ? '' : `  (goal ${typeof row.goal === 'number' ? row.goal.toLocaleString('en') : row.goal})`;
    process.stdout.write(`  ${row.name.padEnd(62)} ${row.value.toLocaleString('en', { maximumFractionDigits: 2 }).padStart(10)} ${row.unit}${goal}\n`);
  }
}

const only = process.argv.slice(2);
const wanted = (name: string) => only.length === 0 || only.includes(name);

process.stdout.write(`Marktbote benchmark — Node ${process.version}, ${new Date().toISOString()}\n`);
if (wanted('storage')) print('Storage (SQLite file, one process)', await benchStorage());
if (wanted('nlu')) print('Understanding', await benchNlu());
if (wanted('engine')) print('Dialogue engine', await benchEngine());
if (wanted('jobs')) print('Reminder jobs (SQLite file)', await benchJobs());
if (wanted('corpus')) print('Basket corpus, real engine', await benchCorpus());
if (wanted('telegram') || wanted('voice')) {
  const { app, dispose } = await benchApp();
  try {
    if (wanted('telegram')) print('Telegram webhook, real engine vs bare grammY echo bot', await benchTelegram(app.turn));
    if (wanted('voice')) print('Voice webhook, real engine, 100 calls in progress', await benchVoice(app.turn, app.ctx.text));
  } finally {
    await dispose();
  }
}
