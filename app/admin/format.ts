/** Times in the admin views: UTC, to the minute in lists and to the second in the audit log. */
export { utcMinute as minute, shortMinute, utcSecond as second } from '@/lib/platform/utc-time';
