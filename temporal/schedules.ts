import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client } from '@temporalio/client';

export const CREDIT_REVIEW_SCHEDULE_ID = 'credit-review-daily';

/** Creates the daily credit review schedule unless it exists; every worker may call this on start-up. */
export async function ensureCreditReviewSchedule(
  client: Client,
  options: { taskQueue: string; cron: string; scheduleId?: string },
): Promise<string> {
  const scheduleId = options.scheduleId ?? CREDIT_REVIEW_SCHEDULE_ID;
  try {
    await client.schedule.create({
      scheduleId,
      spec: { cronExpressions: [options.cron] },
      action: {
        type: 'startWorkflow',
        workflowType: 'creditReviewWorkflow',
        workflowId: `credit-review:${scheduleId}`,
        taskQueue: options.taskQueue,
        args: [{}],
      },
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 day' },
    });
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
  }
  return scheduleId;
}
