import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../bot/config.ts';

const SID = 'AC0123456789abcdef0123456789abcdef';
const twilioBase = { TWILIO_ACCOUNT_SID: SID, TWILIO_AUTH_TOKEN: 'secret', PUBLIC_URL: 'https://marktbote.example.de' };

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('starts with defaults and the demo on when no channel is configured', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 3000,
      host: '127.0.0.1',
      databaseUrl: './data/marktbote.sqlite',
      publicUrl: null,
      demo: true,
      jobs: true,
      floodPerMinute: 20,
      cycleRhythm: null,
      channels: { telegram: false, whatsapp: false, voice: false },
    });
    expect(config.office.hours.source).toBe('Mo-Fr 08:00-16:00');
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig({ PORT: '', TWILIO_ACCOUNT_SID: '  ' }).port).toBe(3000);
  });

  it('switches each channel on exactly when its variables are set', () => {
    expect(loadConfig({ TELEGRAM_BOT_TOKEN: '123:abc' }).channels).toEqual({ telegram: true, whatsapp: false, voice: false });
    expect(loadConfig({ ...twilioBase, TWILIO_WHATSAPP_FROM: 'whatsapp:+4935461234567' }).channels).toEqual({
      telegram: false,
      whatsapp: true,
      voice: false,
    });
    const voice = loadConfig({ ...twilioBase, TWILIO_VOICE_FROM: '+4935461234567' });
    expect(voice.channels).toEqual({ telegram: false, whatsapp: false, voice: true });
    expect(voice.demo).toBe(false);
    expect(voice.twilio?.voice.de).toBe('Polly.Vicki-Neural');
  });

  it('keeps the test page on this machine unless HOST says otherwise, and a real channel reachable', () => {
    expect(loadConfig({ HOST: '0.0.0.0' }).host).toBe('0.0.0.0');
    expect(loadConfig({ DEMO: 'on', HOST: '192.168.1.20' }).host).toBe('192.168.1.20');
    expect(loadConfig({ TELEGRAM_BOT_TOKEN: '123:abc' }).host).toBe('0.0.0.0');
    expect(loadConfig({ DEMO: 'off' }).host).toBe('0.0.0.0');
  });

  it.each([
    [{ TELEGRAM_BOT_TOKEN: '123:abc' }, 'TELEGRAM_BOT_TOKEN'],
    [twilioBase, 'TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN'],
  ])('refuses the test page next to a configured channel (%j) without DEMO_PUBLIC', (channel, names) => {
    expect(problemsOf({ ...channel, DEMO: 'on' })).toEqual([
      `DEMO is on next to a configured channel (${names}): the test page would let anyone who reaches this server act as `
        + 'any customer, producer or staff member; set DEMO_PUBLIC=yes-i-know to run it anyway',
    ]);
  });

  it('keeps the demo next to a real channel when DEMO_PUBLIC=yes-i-know says so, and honours JOBS=off', () => {
    const config = loadConfig({ TELEGRAM_BOT_TOKEN: '123:abc', DEMO: 'on', DEMO_PUBLIC: 'yes-i-know', JOBS: 'off' });
    expect(config.demo).toBe(true);
    expect(config.host).toBe('127.0.0.1');
    expect(config.jobs).toBe(false);
  });

  it('drops a trailing slash from PUBLIC_URL so signatures match', () => {
    expect(loadConfig({ PUBLIC_URL: 'https://marktbote.example.de/' }).publicUrl).toBe('https://marktbote.example.de');
  });

  it('passes CYCLE_RHYTHM through and reads the numbers', () => {
    const config = loadConfig({ CYCLE_RHYTHM: 'Do 18:00 → Sa 10:00', PORT: '8080', FLOOD_PER_MINUTE: '5' });
    expect(config).toMatchObject({ cycleRhythm: 'Do 18:00 → Sa 10:00', port: 8080, floodPerMinute: 5 });
  });

  it.each([
    [{ PORT: 'abc' }, 'PORT must be a whole number between 1 and 65535'],
    [{ PORT: '70000' }, 'PORT must be a whole number between 1 and 65535'],
    [{ PUBLIC_URL: 'ftp://example.de' }, 'PUBLIC_URL must be an http or https URL such as https://marktbote.example.de'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent'],
    [{ TELEGRAM_BOT_TOKEN: 'nonsense' }, 'TELEGRAM_BOT_TOKEN must look like 123456:ABC-DEF… (from @BotFather)'],
    [
      { TELEGRAM_BOT_TOKEN: '1:a', TELEGRAM_WEBHOOK_SECRET: 'has space' },
      'TELEGRAM_WEBHOOK_SECRET must be 1–256 characters of A-Z, a-z, 0-9, _ and -',
    ],
    [
      { TELEGRAM_BOT_TOKEN: '1:a', TELEGRAM_WEBHOOK_SECRET: 'x'.repeat(257) },
      'TELEGRAM_WEBHOOK_SECRET must be 1–256 characters of A-Z, a-z, 0-9, _ and -',
    ],
    [
      { TELEGRAM_BOT_TOKEN: '1:a', PUBLIC_URL: 'https://m.example.de' },
      'TELEGRAM_WEBHOOK_SECRET is required when TELEGRAM_BOT_TOKEN and PUBLIC_URL are set',
    ],
    [{ TELEGRAM_API_ROOT: 'localhost' }, 'TELEGRAM_API_ROOT must be an http or https URL'],
    [{ TWILIO_ACCOUNT_SID: 'AC123', TWILIO_AUTH_TOKEN: 'x' }, 'TWILIO_ACCOUNT_SID must be AC followed by 32 hexadecimal characters'],
    [{ TWILIO_ACCOUNT_SID: SID }, 'TWILIO_AUTH_TOKEN is required when TWILIO_ACCOUNT_SID is set'],
    [{ TWILIO_AUTH_TOKEN: 'x' }, 'TWILIO_ACCOUNT_SID is required when TWILIO_AUTH_TOKEN is set'],
    [{ ...twilioBase, TWILIO_WHATSAPP_FROM: '+4935461234567' }, 'TWILIO_WHATSAPP_FROM must look like whatsapp:+4915123456789'],
    [{ ...twilioBase, TWILIO_VOICE_FROM: '035461 234567' }, 'TWILIO_VOICE_FROM must be an E.164 number such as +4935461234567'],
    [
      { TWILIO_ACCOUNT_SID: SID, TWILIO_AUTH_TOKEN: 'x', TWILIO_WHATSAPP_FROM: 'whatsapp:+4935461234567' },
      'PUBLIC_URL is required when TWILIO_WHATSAPP_FROM is set (Twilio signs its webhooks over it)',
    ],
    [{ TWILIO_API_ROOT: 'nope' }, 'TWILIO_API_ROOT must be an http or https URL'],
    [{ OFFICE_PHONE: '0800 123' }, 'OFFICE_PHONE must be an E.164 number such as +4935461234567'],
    [{ OFFICE_HOURS: 'Mo-Fr 8-16' }, 'OFFICE_HOURS must look like "Mo-Fr 08:00-16:00" or "Mo-Fr 08:00-16:00; Sa 09:00-12:00"'],
    [{ OFFICE_HOURS: 'Mo-Fr 16:00-08:00' }, 'OFFICE_HOURS must look like "Mo-Fr 08:00-16:00" or "Mo-Fr 08:00-16:00; Sa 09:00-12:00"'],
    [{ DEMO: 'maybe' }, 'DEMO must be on or off'],
    [{ DEMO_PUBLIC: 'yes' }, 'DEMO_PUBLIC must be yes-i-know or unset'],
    [{ JOBS: 'sometimes' }, 'JOBS must be on or off'],
    [{ FLOOD_PER_MINUTE: '0' }, 'FLOOD_PER_MINUTE must be a whole number between 1 and 10000'],
  ])('names the problem with %j', (env, problem) => {
    expect(problemsOf(env)).toEqual([problem]);
  });

  it('lists every problem at once, one line each, and names a missing variable once', () => {
    const error = (() => {
      try {
        loadConfig({ PORT: 'x', TWILIO_ACCOUNT_SID: SID, TWILIO_VOICE_FROM: '+4935461234567', DEMO: 'perhaps' });
      } catch (caught) {
        return caught as ConfigError;
      }
      throw new Error('expected a ConfigError');
    })();
    expect(error.problems).toEqual([
      'PORT must be a whole number between 1 and 65535',
      'DEMO must be on or off',
      'TWILIO_AUTH_TOKEN is required when TWILIO_ACCOUNT_SID is set',
      'PUBLIC_URL is required when TWILIO_VOICE_FROM is set (Twilio signs its webhooks over it)',
    ]);
    expect(error.message.split('\n')).toHaveLength(1 + error.problems.length);
  });

  it('says a single problem in one line', () => {
    expect(() => loadConfig({ PORT: 'x' })).toThrow(/^Invalid configuration: PORT must be a whole number between 1 and 65535$/);
  });
});
