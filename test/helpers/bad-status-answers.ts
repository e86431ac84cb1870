/**
 * Status answers that break the avatar API's contract, each built from the task id asked about.
 * The client refuses every one as API_BAD_RESPONSE; the engine and the CLI are driven through
 * the same table so they cannot disagree.
 */
export interface BadStatusAnswer {
  name: string;
  body: (taskId: string) => unknown;
}

const completed = (taskId: string, fileUrl: unknown): unknown => ({ data: { task_id: taskId, status: 'COMPLETED', file_url: fileUrl } });

export const BAD_STATUS_ANSWERS: readonly BadStatusAnswer[] = [
  { name: 'COMPLETED without file_url', body: (id) => ({ data: { task_id: id, status: 'COMPLETED', output_duration: 2 } }) },
  { name: 'COMPLETED with an empty file_url', body: (id) => completed(id, '') },
  { name: 'COMPLETED with a relative file_url', body: (id) => completed(id, `/files/preview-${id}.mp4`) },
  { name: 'COMPLETED with an ftp: file_url', body: (id) => completed(id, 'ftp://files.example/video.mp4') },
  { name: 'COMPLETED with a javascript: file_url', body: (id) => completed(id, 'javascript:alert(1)') },
  { name: 'COMPLETED with a file: file_url', body: (id) => completed(id, 'file:///etc/passwd') },
  { name: 'COMPLETED with a number as file_url', body: (id) => completed(id, 42) },
  { name: 'COMPLETED with a file_url padded with spaces', body: (id) => completed(id, ' https://files.example/v.mp4') },
  {
    name: 'the answer of another task',
    body: () => completed('someone-elses-task', 'https://files.example/someone-else.mp4'),
  },
  { name: 'no task_id', body: () => ({ data: { status: 'COMPLETED', file_url: 'https://files.example/v.mp4' } }) },
  { name: 'an unknown status', body: (id) => ({ data: { task_id: id, status: 'DONE', file_url: 'https://files.example/v.mp4' } }) },
  { name: 'no data object', body: (id) => ({ task_id: id, status: 'COMPLETED', file_url: 'https://files.example/v.mp4' }) },
  { name: 'data is an array', body: (id) => ({ data: [id, 'COMPLETED'] }) },
];
