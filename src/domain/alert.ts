/** Something a scheduled job wants a person to see, such as a collaboration score below its threshold. */
export type Alert = {
  id: number;
  projectId: number;
  kind: 'collaboration_score';
  createdAt: number;
  message: string;
  value: number | null;
  threshold: number | null;
  /** The report the alert came from (a file path), when there is one. */
  report: string | null;
  notifiedAt: number | null;
  notifyError: string | null;
};

export type NewAlert = Omit<Alert, 'id' | 'notifiedAt' | 'notifyError'>;
