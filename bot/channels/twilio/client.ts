/**
 * Twilio's REST client, the one way SMS, WhatsApp messages and calls leave the
 * bot. Every request is watched: a failure is counted by its HTTP status (or
 * 'network' when no answer came). With an API root (TWILIO_API_ROOT: a local
 * double, a recording proxy) every request goes there instead of
 * https://api.twilio.com, its path and query kept, so nothing reaches Twilio by
 * a way the root does not see.
 */
import twilio from 'twilio';

type RequestOptions = Parameters<InstanceType<typeof twilio.RequestClient>['request']>[0];

export interface TwilioClientOptions {
  /** Replaces Twilio's hosts when set; without a trailing slash. */
  apiRoot: string | null;
  /** Told of every request that failed. */
  onFailure?: (status: string) => void;
}

class WatchedRequestClient extends twilio.RequestClient {
  constructor(private readonly options: TwilioClientOptions) {
    super();
  }

  override async request<TData>(request: RequestOptions & { data?: TData }) {
    const { apiRoot, onFailure } = this.options;
    const chosen = new URL(request.uri);
    const uri = apiRoot ? `${apiRoot}${chosen.pathname}${chosen.search}` : request.uri;
    let response;
    try {
      response = await super.request<TData>({ ...request, uri });
    } catch (error) {
      onFailure?.('network');
      throw error;
    }
    if (response.statusCode >= 400) onFailure?.(String(response.statusCode));
    return response;
  }
}

/** A REST client for the account, sending where `options.apiRoot` says and counting failures. */
export function twilioClient(accountSid: string, authToken: string, options: TwilioClientOptions): twilio.Twilio {
  return twilio(accountSid, authToken, { httpClient: new WatchedRequestClient(options) });
}
