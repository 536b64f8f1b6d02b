/**
 * Twilio's REST client, the one way SMS, WhatsApp messages and calls leave the
 * bot. With an API root (TWILIO_API_ROOT: a local double, a recording proxy)
 * every request goes there instead of https://api.twilio.com, its path and
 * query kept, so nothing reaches Twilio by a way the root does not see.
 */
import twilio from 'twilio';

type RequestOptions = Parameters<InstanceType<typeof twilio.RequestClient>['request']>[0];

/** Sends every request to `root` + the path Twilio's client chose. */
class RootedRequestClient extends twilio.RequestClient {
  constructor(private readonly root: string) {
    super();
  }

  override request<TData>(options: RequestOptions & { data?: TData }) {
    const chosen = new URL(options.uri);
    return super.request<TData>({ ...options, uri: `${this.root}${chosen.pathname}${chosen.search}` });
  }
}

/** A REST client for the account; `apiRoot` (without a trailing slash) replaces Twilio's hosts when set. */
export function twilioClient(accountSid: string, authToken: string, apiRoot: string | null): twilio.Twilio {
  return apiRoot ? twilio(accountSid, authToken, { httpClient: new RootedRequestClient(apiRoot) }) : twilio(accountSid, authToken);
}
